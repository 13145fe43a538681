import Domain
import Foundation

/// Dead letters grouped by queue and reason, largest group first.
public struct DeadLetterGroups: Sendable, Equatable {
    public var queue: String
    public var reason: String
    public var count: Int

    public static func make(_ letters: [DeadLetter]) -> [DeadLetterGroups] {
        var counts: [String: (String, String, Int)] = [:]
        for letter in letters {
            let key = letter.sourceQueue + "\u{0}" + letter.reason
            counts[key, default: (letter.sourceQueue, letter.reason, 0)].2 += 1
        }
        return counts.values.map { DeadLetterGroups(queue: $0.0, reason: $0.1, count: $0.2) }
            .sorted { ($1.count, $0.queue, $0.reason) < ($0.count, $1.queue, $1.reason) }
    }
}

/// JSON shapes of dead letters, shared by the CLI and the operator console.
public enum DeadLetterJSON {
    public static func summary(_ letter: DeadLetter, now: Date = Date()) -> [String: Any] {
        [
            "id": letter.id, "queue": letter.sourceQueue, "deadQueue": letter.deadQueue,
            "ageSeconds": Int(now.timeIntervalSince(letter.failedAt ?? now)), "orderId": letter.orderId ?? NSNull(),
            "eventType": letter.eventType ?? NSNull(), "messageId": letter.messageId ?? NSNull(), "attempts": letter.attempts,
            "reason": letter.reason, "failedAt": letter.failedAt.map(Timestamp.format) ?? NSNull(),
        ]
    }

    public static func detail(_ letter: DeadLetter) -> [String: Any] {
        let p = letter.delivery.properties
        var properties: [String: Any] = [:]
        properties["content_type"] = p.contentType
        properties["delivery_mode"] = p.deliveryMode.map { Int($0) }
        properties["message_id"] = p.messageId
        properties["correlation_id"] = p.correlationId
        properties["type"] = p.type
        properties["timestamp"] = p.timestamp.map { Int($0) }
        properties["app_id"] = p.appId
        return [
            "id": letter.id, "queue": letter.sourceQueue, "deadQueue": letter.deadQueue,
            "routingKey": letter.delivery.routingKey, "properties": properties,
            "headers": letter.delivery.properties.headers.mapValues(plain),
            "body": String(decoding: letter.delivery.body, as: UTF8.self),
        ]
    }

    /// The detail as text for a terminal: properties and headers, then the body pretty-printed.
    public static func detailText(_ letter: DeadLetter) -> String {
        var out = "Dead letter \(letter.id) in \(letter.deadQueue) (from \(letter.sourceQueue))\n"
        out += "Reason:   \(letter.reason)\nAttempts: \(letter.attempts)\n"
        out += "Failed:   \(letter.failedAt.map(Timestamp.format) ?? "-")\n\nProperties and headers:\n"
        let detail = detail(letter)
        var meta = detail
        meta["body"] = nil
        out += pretty(meta) + "\n\nBody:\n"
        if let object = try? JSONSerialization.jsonObject(with: letter.delivery.body) {
            out += pretty(object)
        } else {
            out += String(decoding: letter.delivery.body, as: UTF8.self)
        }
        return out
    }

    static func pretty(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]) else { return "\(object)" }
        return String(decoding: data, as: UTF8.self)
    }

    static func plain(_ value: AMQPHeaderValue) -> Any {
        switch value {
        case .string(let s): s
        case .int(let i): i
        case .bool(let b): b
        case .double(let d): d
        case .timestamp(let t): Timestamp.format(Date(timeIntervalSince1970: Double(t)))
        case .bytes(let d): String(decoding: d, as: UTF8.self)
        case .array(let a): a.map(plain)
        case .table(let t): t.mapValues(plain)
        case .void: NSNull()
        }
    }
}

/// One JSON object per line.
public enum JSONLine {
    public static func make(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A plain text table with padded columns.
public enum TextTable {
    public static func render(header: [String], rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in i == cells.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }
}

/// `45s`, `12m`, `3h`, `2d`.
public enum Age {
    public static func format(_ seconds: TimeInterval) -> String {
        let s = max(0, Int(seconds))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86400 { return "\(s / 3600)h" }
        return "\(s / 86400)d"
    }
}
