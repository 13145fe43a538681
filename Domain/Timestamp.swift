import Foundation

/// ISO 8601 timestamps with milliseconds, in UTC: the one spelling used on the wire and in the API.
public enum Timestamp {
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let plain = Date.ISO8601FormatStyle()

    /// `2026-11-23T10:21:00.123Z`, rounded to the nearest millisecond. Written with integer
    /// arithmetic (every event and notice carries one); years outside 1600–9999 go through Foundation
    /// (which counts Julian days before the Gregorian reform).
    public static func format(_ date: Date) -> String {
        let millis = millis(date)
        let (days, inDay) = floorDivision(millis, 86_400_000)
        let (year, month, day) = CivilDate.fromDays(days)
        guard (1600...9999).contains(year) else { return withFraction.format(date.addingTimeInterval(0.0005)) }
        var utf8: [UInt8] = []
        utf8.reserveCapacity(24)
        func put(_ value: Int64, _ width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                utf8.append(UInt8(48 + rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        put(year, 4); utf8.append(45); put(month, 2); utf8.append(45); put(day, 2); utf8.append(84)
        put(inDay / 3_600_000, 2); utf8.append(58); put(inDay / 60_000 % 60, 2); utf8.append(58)
        put(inDay / 1000 % 60, 2); utf8.append(46); put(inDay % 1000, 3); utf8.append(90)
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Parses with or without fractional seconds. The shape ``format(_:)`` writes is read with
    /// integer arithmetic; anything else goes through Foundation.
    public static func parse(_ text: String) -> Date? {
        if let millis = fastParse(text) { return date(millis: millis) }
        return (try? withFraction.parse(text)) ?? (try? plain.parse(text))
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` exactly, with every field in range; nil otherwise.
    static func fastParse(_ text: String) -> Int64? {
        if let parsed = text.utf8.withContiguousStorageIfAvailable({ fastParse(bytes: $0) }) { return parsed }
        return Array(text.utf8).withUnsafeBufferPointer { fastParse(bytes: $0) }
    }

    private static func fastParse(bytes b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b.count == 24, b[4] == 45, b[7] == 45, b[10] == 84, b[13] == 58, b[16] == 58, b[19] == 46, b[23] == 90 else { return nil }
        func number(_ from: Int, _ width: Int) -> Int64? {
            var value: Int64 = 0
            for index in from..<(from + width) {
                let digit = b[index] &- 48
                guard digit < 10 else { return nil }
                value = value * 10 + Int64(digit)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
              let minute = number(14, 2), let second = number(17, 2), let milli = number(20, 3),
              year >= 1600, (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60
        else { return nil }
        let days = CivilDate.toDays(year: year, month: month, day: day)
        return days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + milli
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
        return (quotient, value - quotient * divisor)
    }

    /// Milliseconds since 1970, the database spelling.
    public static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// The inverse of ``millis(_:)``.
    public static func date(millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}

/// Days since 1970-01-01 to and from proleptic Gregorian dates (Howard Hinnant's algorithms).
enum CivilDate {
    static func fromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func toDays(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
