/// The short number staff and customers say aloud: the first 8 characters of the id, upper-cased.
public enum OrderNumber {
    public static func short(_ orderId: String) -> String { String(orderId.prefix(8)).uppercased() }

    /// ``short(_:)``, or `-` when there is no order id (a dead letter that never decoded).
    public static func label(_ orderId: String?) -> String {
        guard let orderId, !orderId.isEmpty else { return "-" }
        return short(orderId)
    }
}
