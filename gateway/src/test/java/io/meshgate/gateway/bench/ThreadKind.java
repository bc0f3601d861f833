package io.meshgate.gateway.bench;

/**
 * What a JVM thread works on, told from its Linux thread name ({@code comm}, cut to 15 characters):
 * enough to split one JVM's CPU between the parts it hosts.
 */
enum ThreadKind {
  LOAD_USERS("virtual users (vu-*)"),
  JDK_HTTP_CLIENT("JDK HttpClient"),
  SUBGRAPH_CLIENT("subgraph client event loop"),
  CARRIERS("virtual-thread carriers"),
  COMMON_POOL("ForkJoin common pool"),
  HTTP_SERVER("HttpServer dispatcher"),
  EVENT_LOOPS("gateway event loops"),
  IO_POLLERS("I/O pollers"),
  GC("GC and VM thread"),
  JIT("JIT compilers"),
  OTHER("other threads"),
  /**
   * CPU of threads that ended between two samples: counted for the process, no longer visible per
   * thread.
   */
  ENDED("ended threads");

  private final String label;

  ThreadKind(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  static ThreadKind of(String comm) {
    if (comm.startsWith("vu-")) {
      return LOAD_USERS;
    }
    if (comm.startsWith("HttpClient-")) {
      return JDK_HTTP_CLIENT;
    }
    if (comm.startsWith("ForkJoinPool.co")) {
      return COMMON_POOL;
    }
    if (comm.startsWith("ForkJoinPool-")) {
      return CARRIERS;
    }
    if (comm.startsWith("HTTP-Dispatcher")) {
      return HTTP_SERVER;
    }
    if (comm.startsWith("gateway-subgr")) {
      return SUBGRAPH_CLIENT;
    }
    if (comm.startsWith("gateway-http") || comm.startsWith("gateway-accept")) {
      return EVENT_LOOPS;
    }
    if (comm.startsWith("Read-Poller")
        || comm.startsWith("Write-Poller")
        || comm.contains("Poller")) {
      return IO_POLLERS;
    }
    if (comm.startsWith("GC Thread")
        || comm.startsWith("G1 ")
        || comm.startsWith("VM Thread")
        || comm.startsWith("ZWorker")
        || comm.startsWith("ZDirector")
        || comm.startsWith("Shenandoah")
        || comm.startsWith("ParGC")
        || comm.startsWith("VM Periodic")) {
      return GC;
    }
    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
      return JIT;
    }
    return OTHER;
  }
}
