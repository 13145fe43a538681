/// Prices for people: `12.50` (cents in, no currency sign).
public enum Money {
    public static func format(_ cents: Int) -> String {
        let sign = cents < 0 ? "-" : ""
        let absolute = cents.magnitude
        let fraction = absolute % 100
        return "\(sign)\(absolute / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
