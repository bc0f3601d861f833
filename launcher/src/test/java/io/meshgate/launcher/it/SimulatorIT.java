package io.meshgate.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshgate.launcher.Mesh;
import io.meshgate.launcher.simulate.TrafficSimulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The traffic simulator moves the mesh: its orders reach finance, some ship, invoices get paid. */
class SimulatorIT {

  @Test
  void simulatedOrdersFlowThroughEveryProduct() throws Exception {
    Mesh mesh = SharedMesh.get();
    GraphQlClient gateway = new GraphQlClient(mesh.gatewayUrl().resolve("/graphql"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> gateway.data("{ warehouses { id } }", Map.of()).path("warehouses").size() == 3);
    List<TrafficSimulator.PlacedOrder> placed = new CopyOnWriteArrayList<>();
    try (TrafficSimulator simulator = new TrafficSimulator(mesh.gatewayUrl(), 20, placed::add)) {
      simulator.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                TrafficSimulator.Stats stats = simulator.stats();
                return stats.placed() >= 40 && stats.shipped() >= 5 && stats.paid() >= 1;
              });
      // Follow-ups may be refused (an order cancelled before it shipped); nothing else fails.
      assertThat(simulator.stats().failed()).isZero();
    }
    // Every simulated order reaches finance: an invoice and a debit, seen through the gateway.
    for (TrafficSimulator.PlacedOrder order : placed.subList(0, 40)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  gateway
                      .data(
                          "query($id: ID!) { order(id: $id) { invoice { id } ledgerTransactions {"
                              + " kind } } }",
                          Map.of("id", order.id()))
                      .at("/order/ledgerTransactions/0/kind")
                      .asText()
                      .equals("DEBIT"));
    }
  }
}
