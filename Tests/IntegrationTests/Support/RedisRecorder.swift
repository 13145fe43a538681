import Domain
import Foundation
import Infrastructure

/// Subscribes to Redis (`PSUBSCRIBE order:*` and `kitchen`) on a thread of its own and records
/// every notice, per channel, in arrival order. Stopped by a message on a private control channel,
/// so the blocking read never needs a timeout.
///
/// `@unchecked Sendable`: `received` is guarded by `lock`; the connection belongs to the thread.
final class RedisRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [String: [StatusNotice]] = [:]
    private let controlChannel = "test-control:\(UUID().uuidString)"
    private let finished = DispatchSemaphore(value: 0)
    private let configuration: RedisConfiguration

    init() throws {
        configuration = try TestEnvironment.redis()
        let subscriber = try RedisConnection(configuration: configuration)
        subscriber.setReadTimeout(nil)
        try subscriber.send(["PSUBSCRIBE", "order:*"])
        _ = try subscriber.readReply()
        try subscriber.send(["SUBSCRIBE", "kitchen", controlChannel])
        _ = try subscriber.readReply()
        _ = try subscriber.readReply()
        let box = UncheckedBox(subscriber)
        let thread = Thread { [self] in
            let subscriber = box.value
            defer { subscriber.close(); finished.signal() }
            while let reply = try? subscriber.readReply() {
                guard case .array(let parts) = reply else { continue }
                switch parts.count {
                case 4:  // pmessage, pattern, channel, payload
                    if case .string(let channel) = parts[2], case .string(let payload) = parts[3] { record(channel, payload) }
                case 3:  // message, channel, payload
                    if case .string(let channel) = parts[1], case .string(let payload) = parts[2] {
                        if channel == controlChannel { return }
                        record(channel, payload)
                    }
                default: continue
                }
            }
        }
        thread.start()
    }

    private func record(_ channel: String, _ payload: String) {
        guard let notice = NoticeCoding.decode(payload) else { return }
        lock.lock()
        received[channel, default: []].append(notice)
        lock.unlock()
    }

    /// The notices seen on a channel so far.
    func notices(on channel: String) -> [StatusNotice] {
        lock.lock()
        defer { lock.unlock() }
        return received[channel] ?? []
    }

    func stop() {
        if let publisher = try? RedisConnection(configuration: configuration) {
            _ = try? publisher.command(["PUBLISH", controlChannel, "stop"])
            publisher.close()
        }
        _ = finished.wait(timeout: .now() + 5)
    }
}

/// Hands a value to another thread that becomes its only user.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
