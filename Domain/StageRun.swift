import Foundation

/// Where an order stands in a worker's line of stages, and what to do next. Pure: the worker
/// runtime asks it after each commit (or after finding the order already further along).
public enum StageRun {
    /// The stages of `line` still ahead of an order at `current`: those after it on the main line.
    /// Empty for a cancelled or delivered order.
    public static func remaining(_ line: [Stage], after current: OrderStatus) -> ArraySlice<Stage> {
        guard !current.isFinal, let position = current.stage else { return [] }
        let next = line.firstIndex { ($0.status.stage ?? 0) > position } ?? line.endIndex
        return line[next...]
    }

    /// What comes next for an order that reached `current` at `reachedAt`.
    public enum Next: Sendable, Equatable {
        /// The line is done (or the order left it): acknowledge the message.
        case finished
        /// Apply these statuses, in order, at `due`: the next stage and those right after it
        /// that take no time (one transaction for all of them).
        case apply([OrderStatus], due: Date)
    }

    public static func next(_ line: [Stage], current: OrderStatus, reachedAt: Date) -> Next {
        let ahead = remaining(line, after: current)
        guard let first = ahead.first else { return .finished }
        var statuses = [first.status]
        for stage in ahead.dropFirst() {
            guard stage.after == .zero else { break }
            statuses.append(stage.status)
        }
        return .apply(statuses, due: reachedAt.addingTimeInterval(first.after.seconds))
    }
}
