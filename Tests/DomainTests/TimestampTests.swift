import Foundation
import Testing
import Domain

/// 2025-11-23T10:21:00.000Z in milliseconds since 1970.
private let base: Int64 = 1_763_893_260_000

@Suite("Timestamp")
struct TimestampTests {
    @Test("format: UTC, ISO 8601, three fraction digits")
    func format() {
        #expect(Timestamp.format(Timestamp.date(millis: base + 125)) == "2025-11-23T10:21:00.125Z")
        #expect(Timestamp.format(Timestamp.date(millis: base)) == "2025-11-23T10:21:00.000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1.5)) == "1970-01-01T00:00:01.500Z")
    }

    @Test("parse with milliseconds")
    func parseFraction() throws {
        let date = try #require(Timestamp.parse("2025-11-23T10:21:00.125Z"))
        #expect(Timestamp.millis(date) == base + 125)
        #expect(date == Timestamp.date(millis: base + 125))
    }

    @Test("parse without fraction")
    func parsePlain() throws {
        let date = try #require(Timestamp.parse("2025-11-23T10:21:00Z"))
        #expect(Timestamp.millis(date) == base)
        #expect(Timestamp.format(date) == "2025-11-23T10:21:00.000Z")
    }

    @Test("parse honours a UTC offset")
    func parseOffset() throws {
        #expect(Timestamp.millis(try #require(Timestamp.parse("2025-11-23T12:21:00+02:00"))) == base)
        #expect(Timestamp.millis(try #require(Timestamp.parse("2025-11-23T05:21:00.500-05:00"))) == base + 500)
    }

    @Test("parse refuses what is not a timestamp", arguments: [
        "", "garbage", "2025-11-23", "10:21:00", "2025-13-40T10:21:00Z", "1763893260125",
    ])
    func parseGarbage(_ text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test("format → parse round trip keeps the milliseconds",
          arguments: [Int64(0), 125, 250, 375, 500, 625, 750, 875])
    func roundTrip(_ offset: Int64) throws {
        let date = Timestamp.date(millis: base + offset)
        let text = Timestamp.format(date)
        let back = try #require(Timestamp.parse(text))
        #expect(back == date)
        #expect(Timestamp.millis(back) == base + offset)
        #expect(Timestamp.format(back) == text)
    }

    @Test("format → parse round trip keeps every millisecond")
    func roundTripEveryMillisecond() throws {
        var wrong: [String] = []
        for offset in Int64(0)..<1000 {
            let date = Timestamp.date(millis: base + offset)
            let text = Timestamp.format(date)
            let back = try #require(Timestamp.parse(text))
            if Timestamp.millis(back) != base + offset { wrong.append("\(offset) → \(text)") }
        }
        // e.g. 1 ms is written as ".000Z": the formatter truncates a Double just under the millisecond.
        #expect(wrong.count == 0, "e.g. \(wrong.prefix(3).joined(separator: ", "))")
    }

    @Test("parse → format reproduces every wire timestamp")
    func wireTextStable() throws {
        var changed: [String] = []
        for ms in 0..<1000 {
            let text = "2025-11-23T10:21:00." + String(String(ms + 1000).dropFirst()) + "Z"
            let again = Timestamp.format(try #require(Timestamp.parse(text)))
            if again != text { changed.append("\(text) → \(again)") }
        }
        #expect(changed.count == 0, "e.g. \(changed.prefix(3).joined(separator: ", "))")
    }

    @Test("millis round trip", arguments: [Int64(0), 1, 999, -1, -1_500, base, base + 123, base + 999, 4_102_444_800_000])
    func millisRoundTrip(_ millis: Int64) {
        #expect(Timestamp.millis(Timestamp.date(millis: millis)) == millis)
    }

    @Test("millis rounds to the nearest millisecond")
    func millisRounds() {
        #expect(Timestamp.millis(Date(timeIntervalSince1970: 1.0004)) == 1000)
        #expect(Timestamp.millis(Date(timeIntervalSince1970: 1.0006)) == 1001)
        #expect(Timestamp.millis(Date(timeIntervalSince1970: 1_763_893_260.125)) == base + 125)
        #expect(Timestamp.date(millis: 1_500) == Date(timeIntervalSince1970: 1.5))
    }

    @Test("the integer formatter and parser agree with Foundation's ISO 8601 style (Gregorian years), leap days and centuries included")
    func agreesWithFoundation() throws {
        let foundation = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        var generator = SystemRandomNumberGenerator()
        var samples: [Int64] = [
            -11_676_096_000_000, 951_782_400_000, 951_868_799_999, 4_107_542_400_000, 253_402_300_799_999, -1, -86_400_001,
        ]
        // From 1600 on: before the Gregorian reform Foundation counts Julian days.
        for _ in 0..<2000 { samples.append(Int64.random(in: -11_676_096_000_000...253_402_300_799_999, using: &generator)) }
        var disagreements: [String] = []
        for millis in samples {
            let date = Timestamp.date(millis: millis)
            let text = Timestamp.format(date)
            let expected = foundation.format(date.addingTimeInterval(0.0005))
            let parsed = try #require(Timestamp.parse(text))
            let viaFoundation = try foundation.parse(text)
            if text != expected || Timestamp.millis(parsed) != millis || Timestamp.millis(viaFoundation) != millis {
                disagreements.append("\(millis): \(text) vs \(expected)")
            }
        }
        #expect(disagreements.isEmpty, "e.g. \(disagreements.prefix(3))")
    }

    @Test("a leap day exists in leap years")
    func leapDay() throws {
        #expect(Timestamp.format(try #require(Timestamp.parse("2024-02-29T23:59:59.999Z"))) == "2024-02-29T23:59:59.999Z")
        #expect(Timestamp.format(try #require(Timestamp.parse("2000-02-29T00:00:00.000Z"))) == "2000-02-29T00:00:00.000Z")
    }
}
