package io.meshgate.product.finance;

import io.meshgate.runtime.subgraph.Ids;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.data.federation.EntityMapping;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/**
 * The finance subgraph's operations. Queries read the read model; mutations write the source.
 * Nested fields are batch-loaded, one query per field per request, except {@code
 * Account.transactions}, whose {@code first} argument makes it one query per account.
 */
@Controller
class FinanceController {

  private final FinanceReadModel readModel;
  private final FinanceStore store;

  FinanceController(FinanceReadModel readModel, FinanceStore store) {
    this.readModel = readModel;
    this.store = store;
  }

  @QueryMapping
  @Nullable Account account(@Argument String id) {
    return readModel.findAccount(ValidFinance.parseId("id", id)).orElse(null);
  }

  @QueryMapping
  @Nullable Invoice invoice(@Argument String id) {
    return readModel.findInvoice(ValidFinance.parseId("id", id)).orElse(null);
  }

  @QueryMapping
  InvoicePage invoices(
      @Argument @Nullable Integer first,
      @Argument @Nullable String after,
      @Argument @Nullable String status) {
    return readModel.invoicePage(first == null ? 50 : first, after, status);
  }

  /** Resolves {@code Account} representations for the gateway, one query per batch. */
  @EntityMapping
  List<@Nullable Account> account(@Argument List<String> idList) {
    return inOrder(Ids.parseRepresentations(idList), readModel::findAccounts);
  }

  /** Resolves {@code Transaction} representations for the gateway, one query per batch. */
  @EntityMapping
  List<@Nullable Transaction> transaction(@Argument List<String> idList) {
    return inOrder(Ids.parseRepresentations(idList), readModel::findTransactions);
  }

  /** Resolves {@code Invoice} representations for the gateway, one query per batch. */
  @EntityMapping
  List<@Nullable Invoice> invoice(@Argument List<String> idList) {
    return inOrder(Ids.parseRepresentations(idList), readModel::findInvoices);
  }

  /**
   * Resolves {@code Customer} representations: sales owns customers, finance only adds fields keyed
   * by the id, so every id resolves.
   */
  @EntityMapping
  List<Customer> customer(@Argument List<String> idList) {
    return Ids.parseRepresentations(idList).stream()
        .map(id -> new Customer(id.toString()))
        .toList();
  }

  @SchemaMapping(typeName = "Account")
  Customer customer(Account account) {
    return new Customer(account.customerId());
  }

  @BatchMapping(typeName = "Account", field = "balance")
  Map<Account, String> accountBalance(List<Account> accounts) {
    Map<UUID, BigDecimal> found =
        readModel.balances(accounts.stream().map(a -> UUID.fromString(a.id())).distinct().toList());
    return Ids.byParent(accounts, a -> FinanceReadModel.amount(found.get(UUID.fromString(a.id()))));
  }

  @SchemaMapping(typeName = "Account")
  List<Transaction> transactions(Account account, @Argument @Nullable Integer first) {
    UUID id = UUID.fromString(account.id());
    return readModel.transactionsOfAccounts(List.of(id), first == null ? 20 : first).get(id);
  }

  @BatchMapping(typeName = "Transaction", field = "account")
  Map<Transaction, Account> transactionAccount(List<Transaction> transactions) {
    return accountsOf(transactions, Transaction::accountId);
  }

  @BatchMapping(typeName = "Invoice", field = "account")
  Map<Invoice, Account> invoiceAccount(List<Invoice> invoices) {
    return accountsOf(invoices, Invoice::accountId);
  }

  @SchemaMapping(typeName = "Invoice")
  Order order(Invoice invoice) {
    // The invoice amount is the order's total: finance invoiced exactly that (OrderReactions).
    return new Order(invoice.orderId(), invoice.amount());
  }

  /**
   * Resolves {@code Order} representations: distribution owns orders, finance adds fields by id.
   */
  @EntityMapping
  List<Order> order(@Argument List<String> idList) {
    return Ids.parseRepresentations(idList).stream()
        .map(id -> new Order(id.toString(), null))
        .toList();
  }

  @BatchMapping(typeName = "Order", field = "invoice")
  Map<Order, Invoice> orderInvoice(List<Order> orders) {
    Map<UUID, Invoice> found =
        readModel.invoicesOfOrders(
            orders.stream().map(o -> UUID.fromString(o.id())).distinct().toList());
    return Ids.byParent(orders, o -> found.get(UUID.fromString(o.id())));
  }

  @BatchMapping(typeName = "Order", field = "ledgerTransactions")
  Map<Order, List<Transaction>> orderLedgerTransactions(List<Order> orders) {
    List<String> references =
        orders.stream()
            .flatMap(
                o ->
                    Stream.of(
                        OrderReactions.debitReference(o.id()),
                        OrderReactions.reversalReference(o.id())))
            .distinct()
            .toList();
    Map<String, List<Transaction>> found = readModel.transactionsByReference(references);
    return Ids.byParent(
        orders,
        o -> {
          List<Transaction> booked =
              new ArrayList<>(found.getOrDefault(OrderReactions.debitReference(o.id()), List.of()));
          booked.addAll(found.getOrDefault(OrderReactions.reversalReference(o.id()), List.of()));
          return booked;
        });
  }

  @BatchMapping(typeName = "Customer")
  Map<Customer, List<Account>> accounts(List<Customer> customers) {
    Map<UUID, List<Account>> found = readModel.accountsOfCustomers(customerIds(customers));
    return Ids.byParent(customers, c -> found.get(UUID.fromString(c.id())));
  }

  @BatchMapping(typeName = "Customer", field = "balance")
  Map<Customer, String> customerBalance(List<Customer> customers) {
    Map<UUID, BigDecimal> found = readModel.customerBalances(customerIds(customers));
    return Ids.byParent(
        customers, c -> FinanceReadModel.amount(found.get(UUID.fromString(c.id()))));
  }

  @MutationMapping
  Account openAccount(@Argument OpenAccountInput input) {
    return FinanceReadModel.toAccount(store.open(ValidFinance.of(input)));
  }

  @MutationMapping
  Transaction postTransaction(@Argument PostTransactionInput input) {
    return FinanceReadModel.toTransaction(store.post(ValidFinance.of(input)));
  }

  @MutationMapping
  Invoice payInvoice(@Argument String id) {
    return FinanceReadModel.toInvoice(store.pay(ValidFinance.parseId("id", id)));
  }

  /**
   * The account of each parent from the read model; one written but not yet captured (a mutation's
   * answer) comes from the operational table.
   */
  private <P> Map<P, Account> accountsOf(List<P> parents, Function<P, String> accountId) {
    List<UUID> ids =
        parents.stream().map(p -> UUID.fromString(accountId.apply(p))).distinct().toList();
    Map<UUID, Account> found = new LinkedHashMap<>(readModel.findAccounts(ids));
    List<UUID> missing = ids.stream().filter(id -> !found.containsKey(id)).toList();
    if (!missing.isEmpty()) {
      found.putAll(store.accounts(missing));
    }
    return Ids.byParent(parents, p -> found.get(UUID.fromString(accountId.apply(p))));
  }

  private static <T> List<@Nullable T> inOrder(
      List<UUID> ids, Function<List<UUID>, Map<UUID, T>> lookup) {
    Map<UUID, T> found = lookup.apply(ids);
    List<@Nullable T> result = new ArrayList<>(ids.size());
    ids.forEach(id -> result.add(found.get(id)));
    return result;
  }

  private static List<UUID> customerIds(List<Customer> customers) {
    return customers.stream().map(c -> UUID.fromString(c.id())).distinct().toList();
  }
}
