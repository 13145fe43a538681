import Foundation

/// ISO 8601 timestamps with milliseconds, in UTC: the one spelling used on the wire and in the API.
public enum Timestamp {
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let plain = Date.ISO8601FormatStyle()

    /// `2026-11-23T10:21:00.123Z`, rounded to the nearest millisecond (the formatter truncates).
    public static func format(_ date: Date) -> String { withFraction.format(date.addingTimeInterval(0.0005)) }

    /// Parses with or without fractional seconds.
    public static func parse(_ text: String) -> Date? {
        (try? withFraction.parse(text)) ?? (try? plain.parse(text))
    }

    /// Milliseconds since 1970, the database spelling.
    public static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// The inverse of ``millis(_:)``.
    public static func date(millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}
