import Foundation
import Testing
import Domain

/// 2025-11-23T10:21:00.000Z in milliseconds since 1970.
private let base: UInt64 = 1_763_893_260_000

/// A generator that repeats one value: the random bits are all ones or all zeros.
private struct Constant: RandomNumberGenerator {
    var value: UInt64
    mutating func next() -> UInt64 { value }
}

@Suite("Time-ordered ids")
struct TimeOrderedIDTests {
    @Test("An id is a lower-case RFC 9562 UUID of version 7 and variant 10, valid as an order id")
    func format() throws {
        let id = TimeOrderedID.make()
        let uuid = try #require(UUID(uuidString: id))
        #expect(id == id.lowercased())
        #expect(id.count == 36)
        #expect(uuid.uuid.6 >> 4 == 7)
        #expect(uuid.uuid.8 >> 6 == 0b10)
        #expect(OrderID.isValid(id))
        #expect(OrderID.isValid(OrderID.make()))
    }

    @Test("The first 48 bits are the milliseconds, whatever the random bits")
    func timestamp() {
        for value: UInt64 in [0, .max, 0x0123_4567_89AB_CDEF] {
            var generator = Constant(value: value)
            let id = TimeOrderedID.make(millis: base + 125, using: &generator)
            #expect(TimeOrderedID.millis(of: id) == base + 125)
        }
        var zeros = Constant(value: 0)
        #expect(TimeOrderedID.make(millis: 0x0123_4567_89AB, using: &zeros).hasPrefix("01234567-89ab-7000-8000-"))
    }

    @Test("An id made a millisecond later sorts after, as text, even against the largest random bits")
    func ordering() {
        var ones = Constant(value: .max)
        var zeros = Constant(value: 0)
        for millis in [base, base + 1, base + 255, base + 256, base + 65_535] {
            let earlier = TimeOrderedID.make(millis: millis, using: &ones)
            let later = TimeOrderedID.make(millis: millis + 1, using: &zeros)
            #expect(earlier < later, "\(earlier) vs \(later)")
        }
        let now = Date()
        let ids = (0..<50).map { TimeOrderedID.make(now: now.addingTimeInterval(Double($0) / 1000)) }
        #expect(ids == ids.sorted())
    }

    @Test("Ids made in the same millisecond differ")
    func unique() {
        let now = Date()
        let ids = (0..<10_000).map { _ in TimeOrderedID.make(now: now) }
        #expect(Set(ids).count == ids.count)
        #expect(Set(ids.map { TimeOrderedID.millis(of: $0) }).count == 1)
    }

    @Test("A version-4 UUID or other text has no time")
    func notVersion7() {
        #expect(TimeOrderedID.millis(of: UUID().uuidString) == nil)
        #expect(TimeOrderedID.millis(of: "order-1") == nil)
    }
}

@Suite("Order numbers")
struct OrderNumberTests {
    @Test("Orders placed in the same millisecond get different short numbers: the number is the id's random end")
    func distinctWithinAMillisecond() {
        let now = Date()
        let ids = (0..<200).map { _ in TimeOrderedID.make(now: now) }
        let numbers = ids.map(OrderNumber.short)
        #expect(Set(numbers).count == numbers.count)
        #expect(numbers.allSatisfy { $0.count == 8 && $0 == $0.uppercased() })
    }

    @Test("The number of a partner's id is its last 8 characters; no id, no number")
    func otherIds() {
        #expect(OrderNumber.short("pos-1a2b3c4d") == "1A2B3C4D")
        #expect(OrderNumber.short("abc") == "ABC")
        #expect(OrderNumber.label(nil) == "-")
        #expect(OrderNumber.label("") == "-")
        #expect(OrderNumber.label("01a20955-9344-73d5-8274-feb07b48cb0c") == "7B48CB0C")
    }
}
