package io.meshgate.gateway.server;

import io.meshgate.gateway.plan.Deadline;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: reads requests one at a time, answers each in order, and notices the
 * client leaving while its request runs. The connection keeps reading while a request runs (a
 * request sent behind it waits in a bounded queue), so a closed connection is seen at once and
 * cancels the request's {@link Deadline}: nothing more is planned or fetched for a client that is
 * gone.
 *
 * <p>All state is touched on the connection's event loop; GraphQL requests run on the server's
 * virtual threads and hand their reply back to the loop.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(HttpConnection.class);

  /** Largest request body read. */
  static final int MAX_BODY = 4 * 1024 * 1024;

  /** Most of a refused body read and dropped, so that its client reads the refusal, not a reset. */
  private static final long MAX_DRAIN = 16L * 1024 * 1024;

  /** Bytes of requests sent behind a running one held before the connection stops reading. */
  private static final long MAX_QUEUED = 1024 * 1024;

  /** Time a request has to arrive whole, and an idle connection to send its next request. */
  static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(30);

  private enum State {
    /** Waiting for a request's head. */
    IDLE,
    /** Reading an admitted request's body. */
    RECEIVING,
    /** Reading and dropping the body of a request already answered. */
    DISCARDING,
    /** A request is running; what arrives meanwhile is queued. */
    RUNNING,
    /** The connection closes once its last answer is written; nothing more is read. */
    CLOSING
  }

  private final GatewayServer server;
  private final boolean overCapacity;
  private State state = State.IDLE;
  private @Nullable HttpRequest head;
  private Admission.@Nullable Execute admitted;
  private @Nullable CompositeByteBuf body;
  private boolean closeAfterDiscard;
  private long discarded;
  private @Nullable Deadline running;
  private final ArrayDeque<Object> queued = new ArrayDeque<>();
  private long queuedBytes;
  private boolean replaying;
  private @Nullable ScheduledFuture<?> timer;
  private @Nullable ChannelFuture lastWrite;

  HttpConnection(GatewayServer server, boolean overCapacity) {
    this.server = server;
    this.overCapacity = overCapacity;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    armTimer(ctx);
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.RUNNING || (!queued.isEmpty() && !replaying)) {
      queue(ctx, msg);
      return;
    }
    try {
      handle(ctx, msg);
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void handle(ChannelHandlerContext ctx, Object msg) {
    if (state == State.CLOSING) {
      return;
    }
    if (msg instanceof HttpRequest request) {
      onHead(ctx, request);
    }
    if (msg instanceof HttpContent content && state != State.CLOSING) {
      onContent(ctx, content);
    }
  }

  private void onHead(ChannelHandlerContext ctx, HttpRequest request) {
    cancelTimer();
    DecoderResult decoded = request.decoderResult();
    if (decoded.isFailure()) {
      refuseMalformed(ctx, decoded.cause());
      return;
    }
    if (overCapacity) {
      answerThenClose(ctx, request, server.overConnectionLimit(request));
      return;
    }
    Admission admission = server.admit(request);
    switch (admission) {
      case Admission.Answer answer -> answerAndDiscard(ctx, request, answer.reply());
      case Admission.Execute execute -> receive(ctx, request, execute);
    }
  }

  private void refuseMalformed(ChannelHandlerContext ctx, Throwable cause) {
    Reply reply;
    if (cause instanceof TooLongHttpLineException) {
      reply =
          server.refusal(
              414,
              "the request line is longer than "
                  + GatewayServer.MAX_REQUEST_LINE
                  + " bytes; send a long operation in a POST body",
              "URI_TOO_LONG");
    } else if (cause instanceof TooLongHttpHeaderException) {
      reply =
          server.refusal(
              431,
              "the request's headers are larger than " + GatewayServer.MAX_HEADERS + " bytes",
              "REQUEST_HEADER_FIELDS_TOO_LARGE");
    } else {
      reply =
          server.refusal(
              400, "the request is not valid HTTP/1.1: " + cause.getMessage(), "BAD_REQUEST");
    }
    state = State.CLOSING;
    write(ctx, reply, true, true);
  }

  private void answerThenClose(ChannelHandlerContext ctx, HttpRequest request, Reply reply) {
    answerAndDiscard(ctx, request, reply.closing());
  }

  private void answerAndDiscard(ChannelHandlerContext ctx, HttpRequest request, Reply reply) {
    boolean close = reply.close() || !HttpUtil.isKeepAlive(request);
    boolean bodyWithheld = HttpUtil.is100ContinueExpected(request);
    write(ctx, reply, close, close && bodyWithheld);
    if (close && bodyWithheld) {
      // Refused before the client sent its body: it will not send it now.
      state = State.CLOSING;
      return;
    }
    state = State.DISCARDING;
    closeAfterDiscard = close;
    discarded = 0;
    armTimer(ctx);
  }

  private void receive(ChannelHandlerContext ctx, HttpRequest request, Admission.Execute execute) {
    if (HttpUtil.getContentLength(request, -1L) > MAX_BODY) {
      execute.lease().release();
      answerThenClose(ctx, request, server.tooLarge(request, execute));
      return;
    }
    head = request;
    admitted = execute;
    body = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
    state = State.RECEIVING;
    if (HttpUtil.is100ContinueExpected(request)) {
      ctx.writeAndFlush(
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
    }
    armTimer(ctx);
  }

  private void onContent(ChannelHandlerContext ctx, HttpContent content) {
    if (content.decoderResult().isFailure()) {
      abandonReceiving();
      refuseMalformed(ctx, content.decoderResult().cause());
      return;
    }
    boolean last = content instanceof LastHttpContent;
    switch (state) {
      case RECEIVING -> {
        CompositeByteBuf received = body;
        if (received == null) {
          return;
        }
        if ((long) received.readableBytes() + content.content().readableBytes() > MAX_BODY) {
          Admission.Execute execute = admitted;
          HttpRequest request = head;
          abandonReceiving();
          if (execute != null && request != null) {
            // Part of the body has come (after a 100 Continue, perhaps): answer, then drop the
            // rest.
            write(ctx, server.tooLarge(request, execute), true, false);
            state = State.DISCARDING;
            closeAfterDiscard = true;
            discarded = 0;
            armTimer(ctx);
            discard(ctx, content, last);
          }
          return;
        }
        received.addComponent(true, content.content().retain());
        if (last) {
          dispatch(ctx);
        }
      }
      case DISCARDING -> discard(ctx, content, last);
      default -> {
        // The empty end of a request that had no body, or of one answered already: nothing to do.
      }
    }
  }

  private void discard(ChannelHandlerContext ctx, HttpContent content, boolean last) {
    if (state != State.DISCARDING) {
      return;
    }
    discarded += content.content().readableBytes();
    if (last) {
      finishDiscard(ctx);
    } else if (discarded > MAX_DRAIN) {
      state = State.CLOSING;
      closeAfterWrites(ctx);
    }
  }

  private void finishDiscard(ChannelHandlerContext ctx) {
    cancelTimer();
    if (closeAfterDiscard) {
      state = State.CLOSING;
      closeAfterWrites(ctx);
      return;
    }
    state = State.IDLE;
    armTimer(ctx);
    replay(ctx);
  }

  private void dispatch(ChannelHandlerContext ctx) {
    cancelTimer();
    CompositeByteBuf received = body;
    HttpRequest request = head;
    Admission.Execute execute = admitted;
    body = null;
    head = null;
    admitted = null;
    if (received == null || request == null || execute == null) {
      return;
    }
    byte[] bytes = ByteBufUtil.getBytes(received);
    received.release();
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    Deadline deadline = Deadline.after(execute.budget());
    running = deadline;
    state = State.RUNNING;
    try {
      server
          .executor()
          .execute(
              () -> {
                Reply reply;
                try {
                  reply = server.execute(request, bytes, execute, deadline);
                } catch (RuntimeException | Error e) {
                  reply = server.internalError(e, execute.graphQlResponse());
                } finally {
                  execute.lease().release();
                }
                Reply answer = reply;
                ctx.executor().execute(() -> onReply(ctx, answer, keepAlive));
              });
    } catch (RejectedExecutionException e) {
      execute.lease().release();
      onReply(
          ctx,
          server.refusal(503, "the gateway is shutting down", "SHUTTING_DOWN").closing(),
          false);
    }
  }

  private void onReply(ChannelHandlerContext ctx, Reply reply, boolean keepAlive) {
    running = null;
    if (!ctx.channel().isActive()) {
      return;
    }
    boolean close = reply.close() || !keepAlive;
    write(ctx, reply, close, close);
    if (close) {
      state = State.CLOSING;
      releaseQueued();
      return;
    }
    state = State.IDLE;
    armTimer(ctx);
    replay(ctx);
  }

  /**
   * Handles what the client sent behind the request just answered, up to the next request to run.
   */
  private void replay(ChannelHandlerContext ctx) {
    replaying = true;
    try {
      while (!queued.isEmpty() && state != State.RUNNING && state != State.CLOSING) {
        Object next = queued.poll();
        queuedBytes -= size(next);
        try {
          handle(ctx, next);
        } finally {
          ReferenceCountUtil.release(next);
        }
      }
    } finally {
      replaying = false;
    }
    if (state == State.CLOSING) {
      releaseQueued();
    }
    if (queuedBytes < MAX_QUEUED && !ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void queue(ChannelHandlerContext ctx, Object msg) {
    queued.add(msg);
    queuedBytes += size(msg);
    if (queuedBytes >= MAX_QUEUED) {
      // A client pipelining more than this waits for its earlier answers before more is read.
      ctx.channel().config().setAutoRead(false);
    }
  }

  private static long size(Object msg) {
    return msg instanceof HttpContent content ? content.content().readableBytes() + 64L : 256L;
  }

  /**
   * Writes {@code reply}; {@code closing} tells the client the connection ends after it, and {@code
   * closeNow} closes it once the reply is out (otherwise the body still arriving is read and
   * dropped first).
   */
  private void write(ChannelHandlerContext ctx, Reply reply, boolean closing, boolean closeNow) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(reply.status()),
            Unpooled.wrappedBuffer(reply.body()));
    reply.headers().forEach((name, value) -> response.headers().set(name, value));
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
    if (closing || reply.close()) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    ChannelFuture written = ctx.writeAndFlush(response);
    lastWrite = written;
    if (closeNow) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** Closes the connection once everything written to it has gone out. */
  private void closeAfterWrites(ChannelHandlerContext ctx) {
    ChannelFuture written = lastWrite;
    if (written == null || written.isDone()) {
      ctx.close();
    } else {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void armTimer(ChannelHandlerContext ctx) {
    cancelTimer();
    timer =
        ctx.executor()
            .schedule(() -> onTimeout(ctx), RECEIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void cancelTimer() {
    ScheduledFuture<?> current = timer;
    if (current != null) {
      current.cancel(false);
      timer = null;
    }
  }

  private void onTimeout(ChannelHandlerContext ctx) {
    timer = null;
    switch (state) {
      case RECEIVING -> {
        abandonReceiving();
        state = State.CLOSING;
        Reply reply =
            server.refusal(
                408,
                "the request did not arrive whole within " + RECEIVE_TIMEOUT.toSeconds() + " s",
                "REQUEST_TIMEOUT");
        write(ctx, reply, true, true);
      }
      case IDLE, DISCARDING -> {
        state = State.CLOSING;
        closeAfterWrites(ctx);
      }
      default -> {
        // A running request is bounded by its own deadline.
      }
    }
  }

  private void abandonReceiving() {
    Admission.Execute execute = admitted;
    if (execute != null) {
      execute.lease().release();
    }
    CompositeByteBuf received = body;
    if (received != null) {
      received.release();
    }
    admitted = null;
    body = null;
    head = null;
  }

  private void releaseQueued() {
    for (Object msg; (msg = queued.poll()) != null; ) {
      ReferenceCountUtil.release(msg);
    }
    queuedBytes = 0;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelTimer();
    Deadline deadline = running;
    if (deadline != null) {
      deadline.cancel("its client closed the connection");
      log.debug("client {} went away; its request is cancelled", ctx.channel().remoteAddress());
    }
    abandonReceiving();
    releaseQueued();
    state = State.CLOSING;
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof IOException)) {
      log.warn("closing a client connection after an unexpected error", cause);
    }
    ctx.close();
  }
}
