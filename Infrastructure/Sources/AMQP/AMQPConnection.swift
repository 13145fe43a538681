import CRabbitMQ
import Foundation
import Glibc

/// AMQP method ids (class << 16 | method) this code reacts to.
enum AMQPMethodID {
    static let connectionClose: UInt32 = 0x000A_0032
    static let connectionCloseOk: UInt32 = 0x000A_0033
    static let channelClose: UInt32 = 0x0014_0028
    static let channelCloseOk: UInt32 = 0x0014_0029
    static let basicCancel: UInt32 = 0x003C_001E
    static let basicReturn: UInt32 = 0x003C_0032
    static let basicDeliver: UInt32 = 0x003C_003C
    static let basicAck: UInt32 = 0x003C_0050
    static let basicNack: UInt32 = 0x003C_0078
}

/// Something the broker sent on a publishing channel.
public enum AMQPPublishEvent: Sendable, Equatable {
    case ack(tag: UInt64, multiple: Bool)
    case nack(tag: UInt64, multiple: Bool)
    /// An unroutable mandatory message came back (it is still confirmed after this).
    case returned(messageId: String?, routingKey: String, replyText: String)
}

/// Owns one librabbitmq connection (`amqp_connection_state_t`).
///
/// librabbitmq is not thread-safe, so an instance belongs to one thread at a time; the owners in
/// this project (publisher, consumer) each run on a dedicated thread, never on Swift's
/// cooperative pool, because every call here may block. ``close()`` must be called before the
/// instance goes away; after a ``AMQPError/connectionIsLost`` error, only ``close()`` is useful.
public final class AMQPConnection {
    private var state: amqp_connection_state_t?
    public let configuration: AMQPConfiguration

    /// Opens the TCP connection, logs in and opens channel 1.
    public init(configuration: AMQPConfiguration) throws(AMQPError) {
        self.configuration = configuration
        guard let state = amqp_new_connection() else {
            throw AMQPError(.library, operation: "connect", message: "amqp_new_connection returned NULL")
        }
        guard let socket = amqp_tcp_socket_new(state) else {
            amqp_destroy_connection(state)
            throw AMQPError(.library, operation: "connect", message: "amqp_tcp_socket_new returned NULL")
        }
        var timeout = timeval(configuration.timeout)
        let opened = amqp_socket_open_noblock(socket, configuration.host, Int32(configuration.port), &timeout)
        guard opened == AMQP_STATUS_OK.rawValue else {
            amqp_destroy_connection(state)
            throw AMQPError(.connect, operation: "connect to \(configuration)", code: opened, message: Self.statusText(opened))
        }
        let reply = CRabbitMQ_login_plain(state, configuration.vhost, 0, 131_072, Int32(configuration.heartbeatSeconds),
                                          configuration.user, configuration.password)
        if let error = Self.error(from: reply, operation: "login to \(configuration)") {
            amqp_destroy_connection(state)
            throw AMQPError(.connect, operation: error.operation, code: error.code, message: error.message)
        }
        _ = amqp_set_rpc_timeout(state, &timeout)
        self.state = state
        try openChannel(1)
    }

    deinit {
        assert(state == nil, "AMQPConnection deallocated without close()")
        if let state { amqp_destroy_connection(state) }
    }

    /// Closes the connection (politely when it still works) and frees it. Safe to call twice.
    public func close() {
        guard let state else { return }
        self.state = nil
        _ = amqp_connection_close(state, Int32(AMQP_REPLY_SUCCESS))
        amqp_destroy_connection(state)
    }

    /// The socket's file descriptor, to wait for input with `poll`.
    public var fileDescriptor: Int32 { state.map { amqp_get_sockfd($0) } ?? -1 }

    /// True when librabbitmq already holds unread input (poll would not see it).
    public var hasBufferedInput: Bool {
        guard let state else { return false }
        return amqp_data_in_buffer(state) != 0 || amqp_frames_enqueued(state) != 0
    }

    // MARK: - Channels and topology

    public func openChannel(_ channel: UInt16) throws(AMQPError) {
        let state = try live("channel.open")
        amqp_channel_open(state, channel)
        try checkReply("channel.open \(channel)")
    }

    /// Answers the broker's close of a channel after a refused operation (`.refused`: a queue declared
    /// with other arguments, for instance) and opens the channel again, so that the connection can go
    /// on. Only for a channel the broker has just closed.
    public func reopenChannel(_ channel: UInt16 = 1) throws(AMQPError) {
        let state = try live("channel.close-ok")
        var ok = amqp_channel_close_ok_t(dummy: 0)
        let status = amqp_send_method(state, channel, AMQPMethodID.channelCloseOk, &ok)
        guard status == AMQP_STATUS_OK.rawValue else {
            throw AMQPError(.closed, operation: "channel.close-ok \(channel)", code: status, message: Self.statusText(status))
        }
        try openChannel(channel)
    }

    /// Puts a channel in confirm mode: every publish on it is answered with `basic.ack`/`basic.nack`.
    public func confirmSelect(channel: UInt16) throws(AMQPError) {
        let state = try live("confirm.select")
        amqp_confirm_select(state, channel)
        try checkReply("confirm.select on channel \(channel)")
    }

    public func declareExchange(_ name: String, type: String, durable: Bool, channel: UInt16 = 1) throws(AMQPError) {
        let state = try live("exchange.declare")
        let arena = CMemoryArena()
        amqp_exchange_declare(state, channel, arena.bytes(name), arena.bytes(type), 0, durable ? 1 : 0, 0, 0,
                              amqp_table_t(num_entries: 0, entries: nil))
        try checkReply("exchange.declare \(name)")
    }

    /// Declares a queue and returns how many messages it holds.
    @discardableResult
    public func declareQueue(_ name: String, durable: Bool, arguments: [String: AMQPHeaderValue] = [:],
                             passive: Bool = false, channel: UInt16 = 1) throws(AMQPError) -> (messages: Int, consumers: Int) {
        let state = try live("queue.declare")
        let arena = CMemoryArena()
        let ok = amqp_queue_declare(state, channel, arena.bytes(name), passive ? 1 : 0, durable ? 1 : 0, 0, 0, arena.table(arguments))
        try checkReply("queue.declare \(name)")
        guard let ok else { return (0, 0) }
        return (Int(ok.pointee.message_count), Int(ok.pointee.consumer_count))
    }

    public func bindQueue(_ queue: String, exchange: String, routingKey: String, channel: UInt16 = 1) throws(AMQPError) {
        let state = try live("queue.bind")
        let arena = CMemoryArena()
        amqp_queue_bind(state, channel, arena.bytes(queue), arena.bytes(exchange), arena.bytes(routingKey),
                        amqp_table_t(num_entries: 0, entries: nil))
        try checkReply("queue.bind \(queue) to \(exchange) with \(routingKey)")
    }

    /// Removes a binding; removing one that does not exist is not an error.
    public func unbindQueue(_ queue: String, exchange: String, routingKey: String, channel: UInt16 = 1) throws(AMQPError) {
        let state = try live("queue.unbind")
        let arena = CMemoryArena()
        amqp_queue_unbind(state, channel, arena.bytes(queue), arena.bytes(exchange), arena.bytes(routingKey),
                          amqp_table_t(num_entries: 0, entries: nil))
        try checkReply("queue.unbind \(queue) from \(exchange) with \(routingKey)")
    }

    /// Removes every ready message from a queue; returns how many.
    @discardableResult
    public func purgeQueue(_ queue: String, channel: UInt16 = 1) throws(AMQPError) -> Int {
        let state = try live("queue.purge")
        let arena = CMemoryArena()
        let ok = amqp_queue_purge(state, channel, arena.bytes(queue))
        try checkReply("queue.purge \(queue)")
        return Int(ok?.pointee.message_count ?? 0)
    }

    /// Deletes a queue, whatever it holds; returns how many messages went with it.
    @discardableResult
    public func deleteQueue(_ queue: String, channel: UInt16 = 1) throws(AMQPError) -> Int {
        let state = try live("queue.delete")
        let arena = CMemoryArena()
        let ok = amqp_queue_delete(state, channel, arena.bytes(queue), 0, 0)
        try checkReply("queue.delete \(queue)")
        return Int(ok?.pointee.message_count ?? 0)
    }

    // MARK: - Publishing

    /// Sends one message. With confirms on, the outcome arrives later through ``nextPublishEvent(timeout:)``.
    public func publish(_ message: AMQPOutgoingMessage, channel: UInt16 = 1) throws(AMQPError) {
        let state = try live("basic.publish")
        let arena = CMemoryArena()
        var properties = arena.properties(message.properties)
        let status = amqp_basic_publish(state, channel, arena.bytes(message.exchange), arena.bytes(message.routingKey),
                                        message.mandatory ? 1 : 0, 0, &properties, arena.bytes(message.body))
        guard status == AMQP_STATUS_OK.rawValue else {
            throw AMQPError(.closed, operation: "basic.publish to \(message.exchange)/\(message.routingKey)", code: status,
                            message: Self.statusText(status))
        }
    }

    /// Runs `body` with the socket corked (`TCP_CORK`): the frames it sends leave in full segments
    /// when it returns, instead of one segment per message. librabbitmq sends each publish as three
    /// `send` calls and pushes a segment after each message's body; on loopback each push runs the
    /// receiving side's TCP stack inline and wakes the broker's reader. Best effort: without the
    /// option (not a TCP socket) the frames go out as before.
    public func corked<T>(_ body: () throws(AMQPError) -> T) throws(AMQPError) -> T {
        let fd = fileDescriptor
        var on: Int32 = 1, off: Int32 = 0
        let corked = fd >= 0 && setsockopt(fd, Int32(IPPROTO_TCP), TCP_CORK, &on, socklen_t(MemoryLayout<Int32>.size)) == 0
        defer { if corked { _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_CORK, &off, socklen_t(MemoryLayout<Int32>.size)) } }
        return try body()
    }

    /// Waits up to `timeout` for the next confirm or return; `nil` when none came.
    public func nextPublishEvent(timeout: Duration) throws(AMQPError) -> AMQPPublishEvent? {
        while true {
            let state = try live("wait for confirm")
            amqp_maybe_release_buffers(state)
            var frame = amqp_frame_t()
            var tv = timeval(timeout)
            let status = amqp_simple_wait_frame_noblock(state, &frame, &tv)
            if status == AMQP_STATUS_TIMEOUT.rawValue { return nil }
            guard status == AMQP_STATUS_OK.rawValue else {
                throw AMQPError(.closed, operation: "wait for confirm", code: status, message: Self.statusText(status))
            }
            guard frame.frame_type == 1 else { continue }  // AMQP_FRAME_METHOD; heartbeats are handled inside.
            let method = frame.payload.method
            switch method.id {
            case AMQPMethodID.basicAck:
                let ack = method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
                return .ack(tag: ack.delivery_tag, multiple: ack.multiple != 0)
            case AMQPMethodID.basicNack:
                let nack = method.decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
                return .nack(tag: nack.delivery_tag, multiple: nack.multiple != 0)
            case AMQPMethodID.basicReturn:
                let returned = method.decoded.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
                let routingKey = CValues.string(returned.routing_key)
                let text = CValues.string(returned.reply_text)
                var message = amqp_message_t()
                let reply = amqp_read_message(state, frame.channel, &message, 0)
                if let error = Self.error(from: reply, operation: "read returned message") { throw error }
                let messageId = CValues.properties(message.properties).messageId
                amqp_destroy_message(&message)
                return .returned(messageId: messageId, routingKey: routingKey, replyText: text)
            default:
                try handleUnexpected(method: method, channel: frame.channel, operation: "wait for confirm")
            }
        }
    }

    // MARK: - Consuming

    public func qos(prefetch: UInt16, channel: UInt16 = 1) throws(AMQPError) {
        let state = try live("basic.qos")
        amqp_basic_qos(state, channel, 0, prefetch, 0)
        try checkReply("basic.qos \(prefetch)")
    }

    /// Starts a consumer with manual acks; returns the consumer tag.
    @discardableResult
    public func consume(queue: String, channel: UInt16 = 1) throws(AMQPError) -> String {
        let state = try live("basic.consume")
        let arena = CMemoryArena()
        let ok = amqp_basic_consume(state, channel, arena.bytes(queue), amqp_bytes_t(len: 0, bytes: nil), 0, 0, 0,
                                    amqp_table_t(num_entries: 0, entries: nil))
        try checkReply("basic.consume \(queue)")
        return ok.map { CValues.string($0.pointee.consumer_tag) } ?? ""
    }

    /// Waits up to `timeout` for a delivery; `nil` when none came (or only a frame we had nothing to do with).
    public func nextDelivery(timeout: Duration) throws(AMQPError) -> AMQPDelivery? {
        let state = try live("consume")
        amqp_maybe_release_buffers(state)
        var envelope = amqp_envelope_t()
        var tv = timeval(timeout)
        let reply = amqp_consume_message(state, &envelope, &tv, 0)
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            defer { amqp_destroy_envelope(&envelope) }
            return AMQPDelivery(deliveryTag: envelope.delivery_tag, redelivered: envelope.redelivered != 0,
                                exchange: CValues.string(envelope.exchange), routingKey: CValues.string(envelope.routing_key),
                                body: CValues.data(envelope.message.body),
                                properties: CValues.properties(envelope.message.properties))
        case AMQP_RESPONSE_LIBRARY_EXCEPTION where reply.library_error == AMQP_STATUS_TIMEOUT.rawValue:
            return nil
        case AMQP_RESPONSE_LIBRARY_EXCEPTION where reply.library_error == AMQP_STATUS_UNEXPECTED_STATE.rawValue:
            // A frame other than a delivery is waiting: read it and react.
            var frame = amqp_frame_t()
            let status = amqp_simple_wait_frame(state, &frame)
            guard status == AMQP_STATUS_OK.rawValue else {
                throw AMQPError(.closed, operation: "consume", code: status, message: Self.statusText(status))
            }
            if frame.frame_type == 1 {
                try handleUnexpected(method: frame.payload.method, channel: frame.channel, operation: "consume")
            }
            return nil
        default:
            throw Self.error(from: reply, operation: "consume") ?? AMQPError(.library, operation: "consume", message: "no reply")
        }
    }

    public func ack(_ deliveryTag: UInt64, multiple: Bool = false, channel: UInt16 = 1) throws(AMQPError) {
        let state = try live("basic.ack")
        let status = amqp_basic_ack(state, channel, deliveryTag, multiple ? 1 : 0)
        guard status == AMQP_STATUS_OK.rawValue else {
            throw AMQPError(.closed, operation: "basic.ack \(deliveryTag)", code: status, message: Self.statusText(status))
        }
    }

    /// Rejects a delivery; with `requeue` false the broker drops it (or dead-letters it, if the queue says so).
    public func reject(_ deliveryTag: UInt64, requeue: Bool, channel: UInt16 = 1) throws(AMQPError) {
        let state = try live("basic.reject")
        let status = amqp_basic_reject(state, channel, deliveryTag, requeue ? 1 : 0)
        guard status == AMQP_STATUS_OK.rawValue else {
            throw AMQPError(.closed, operation: "basic.reject \(deliveryTag)", code: status, message: Self.statusText(status))
        }
    }

    /// Takes one message without a consumer (manual ack); `nil` when the queue is empty.
    public func get(queue: String, channel: UInt16 = 1) throws(AMQPError) -> AMQPDelivery? {
        let state = try live("basic.get")
        let arena = CMemoryArena()
        amqp_maybe_release_buffers(state)
        let reply = amqp_basic_get(state, channel, arena.bytes(queue), 0)
        if let error = Self.error(from: reply, operation: "basic.get \(queue)") { throw error }
        guard reply.reply.id == 0x003C_0047 else { return nil }  // basic.get-ok; get-empty otherwise
        let ok = reply.reply.decoded.assumingMemoryBound(to: amqp_basic_get_ok_t.self).pointee
        var message = amqp_message_t()
        let read = amqp_read_message(state, channel, &message, 0)
        if let error = Self.error(from: read, operation: "read message from \(queue)") { throw error }
        defer { amqp_destroy_message(&message) }
        return AMQPDelivery(deliveryTag: ok.delivery_tag, redelivered: ok.redelivered != 0,
                            exchange: CValues.string(ok.exchange), routingKey: CValues.string(ok.routing_key),
                            body: CValues.data(message.body), properties: CValues.properties(message.properties))
    }

    // MARK: - Internals

    private func live(_ operation: String) throws(AMQPError) -> amqp_connection_state_t {
        guard let state else { throw AMQPError(.closed, operation: operation, message: "connection is closed") }
        return state
    }

    private func checkReply(_ operation: String) throws(AMQPError) {
        let state = try live(operation)
        if let error = Self.error(from: amqp_get_rpc_reply(state), operation: operation) { throw error }
    }

    /// Answers a close from the broker and turns it into an error; ignores other methods.
    private func handleUnexpected(method: amqp_method_t, channel: UInt16, operation: String) throws(AMQPError) {
        let state = try live(operation)
        switch method.id {
        case AMQPMethodID.channelClose:
            let close = method.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            var ok = amqp_channel_close_ok_t(dummy: 0)
            _ = amqp_send_method(state, channel, AMQPMethodID.channelCloseOk, &ok)
            throw AMQPError(.closed, operation: operation, code: Int32(close.reply_code),
                            message: "broker closed channel \(channel): \(CValues.string(close.reply_text))")
        case AMQPMethodID.connectionClose:
            let close = method.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            var ok = amqp_connection_close_ok_t(dummy: 0)
            _ = amqp_send_method(state, 0, AMQPMethodID.connectionCloseOk, &ok)
            throw AMQPError(.closed, operation: operation, code: Int32(close.reply_code),
                            message: "broker closed the connection: \(CValues.string(close.reply_text))")
        case AMQPMethodID.basicCancel:
            throw AMQPError(.closed, operation: operation, message: "broker cancelled the consumer (queue deleted?)")
        default:
            return
        }
    }

    static func statusText(_ status: Int32) -> String {
        String(cString: amqp_error_string2(status))
    }

    /// The error an RPC reply carries, or `nil` for a normal reply.
    static func error(from reply: amqp_rpc_reply_t, operation: String) -> AMQPError? {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return nil
        case AMQP_RESPONSE_NONE:
            return AMQPError(.library, operation: operation, message: "missing RPC reply")
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            let code = reply.library_error
            let kind: AMQPError.Kind = code == AMQP_STATUS_TIMEOUT.rawValue ? .timeout : .closed
            return AMQPError(kind, operation: operation, code: code, message: statusText(code))
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            switch reply.reply.id {
            case AMQPMethodID.connectionClose:
                let close = reply.reply.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                return AMQPError(.closed, operation: operation, code: Int32(close.reply_code),
                                 message: "broker closed the connection: \(CValues.string(close.reply_text))")
            case AMQPMethodID.channelClose:
                let close = reply.reply.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                return AMQPError(.refused, operation: operation, code: Int32(close.reply_code),
                                 message: "broker closed the channel: \(CValues.string(close.reply_text))")
            default:
                return AMQPError(.library, operation: operation, message: "unexpected server method \(reply.reply.id)")
            }
        default:
            return AMQPError(.library, operation: operation, message: "unknown reply type")
        }
    }
}

extension timeval {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
