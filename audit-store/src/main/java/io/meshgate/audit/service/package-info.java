/**
 * The audit log as a service of the mesh: {@link io.meshgate.audit.service.AuditService} starts
 * {@link io.meshgate.audit.service.AuditSubgraph}, a Spring Boot application that consumes every
 * change topic into the log, publishes signed heads and serves the audit subgraph.
 */
@NullMarked
package io.meshgate.audit.service;

import org.jspecify.annotations.NullMarked;
