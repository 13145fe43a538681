import Foundation

/// Finds a number that cannot be a Swift `Int` (fractional, or out of range) at one of the given
/// paths of a parsed JSON value. Foundation's decoder reports such a number without saying where
/// it is; this names the field for the error. Paths use `[*]` for "every element": `items[*].quantity`.
enum JSONNumbers {
    static func firstNonInteger(in object: Any, paths: [String]) -> String? {
        for path in paths {
            if let found = walk(object, components: path.split(separator: ".").map(String.init), prefix: "") { return found }
        }
        return nil
    }

    private static func walk(_ value: Any, components: [String], prefix: String) -> String? {
        guard let head = components.first else {
            guard let number = value as? NSNumber, !(value is Bool) else { return nil }
            let double = number.doubleValue
            let fits = double.rounded() == double && double >= -9.2e18 && double <= 9.2e18
            return fits ? nil : prefix
        }
        let rest = Array(components.dropFirst())
        if head.hasSuffix("[*]") {
            let key = String(head.dropLast(3))
            guard let array = (value as? [String: Any])?[key] as? [Any] else { return nil }
            for (index, element) in array.enumerated() {
                let path = (prefix.isEmpty ? "" : prefix + ".") + "\(key)[\(index)]"
                if let found = walk(element, components: rest, prefix: path) { return found }
            }
            return nil
        }
        guard let child = (value as? [String: Any])?[head] else { return nil }
        return walk(child, components: rest, prefix: (prefix.isEmpty ? "" : prefix + ".") + head)
    }
}
