import Foundation

/// UUIDs of version 7 (RFC 9562): 48 bits of Unix time in milliseconds, then 74 random bits.
///
/// Ids made later sort later (to the millisecond), so a new order's or event's id lands at the end
/// of every index keyed by it, instead of on a random page: a transaction dirties (and writes to
/// the WAL, and reads back) a few pages at the right edge of each index, however large the history
/// grows. With random (version 4) ids each of the 6 events of an order touched a random page of
/// `processed_messages` and `order_events`, and of the orders index (README, "Changes to DESIGN.md").
///
/// The id tells when it was made, to the millisecond; order and event ids are not secrets (the
/// tracking token is, and it stays fully random).
public enum TimeOrderedID {
    /// A new lower-case UUIDv7 string.
    public static func make(now: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(millis: UInt64(max(0, (now.timeIntervalSince1970 * 1000).rounded(.down))), using: &generator)
    }

    /// The id for this time, with random bits from `generator`.
    public static func make(millis: UInt64, using generator: inout some RandomNumberGenerator) -> String {
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - index))) }
        for index in 6..<8 { bytes[index] = UInt8(truncatingIfNeeded: high >> (8 * index)) }
        for index in 8..<16 { bytes[index] = UInt8(truncatingIfNeeded: low >> (8 * (index - 8))) }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)  // version 7
        bytes[8] = 0x80 | (bytes[8] & 0x3F)  // variant 10
        let uuid = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                               bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        return uuid.uuidString.lowercased()
    }

    /// The milliseconds since 1970 an id was made at; nil for a string that is not a UUIDv7.
    public static func millis(of id: String) -> UInt64? {
        guard let uuid = UUID(uuidString: id), uuid.uuid.6 >> 4 == 7 else { return nil }
        let u = uuid.uuid
        return [u.0, u.1, u.2, u.3, u.4, u.5].reduce(0) { $0 << 8 | UInt64($1) }
    }
}
