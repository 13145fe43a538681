import ArgumentParser
import Domain
import Foundation
import Glibc
import Infrastructure
import Logging

/// `pizzeria dead-letters list|show|replay|purge`: the operator's tools for failed messages.
struct DeadLetters: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters",
        abstract: "List, inspect, replay and purge dead letters.",
        subcommands: [List.self, Show.self, Replay.self, Purge.self])

    /// Filters shared by the subcommands.
    struct Filters: ParsableArguments {
        @Option(help: "Only this queue (kitchen, delivery, email)")
        var queue: String?
        @Option(help: "Only reasons containing this text (case-insensitive)")
        var reason: String?
        @Option(help: "Only failures newer than this: 30m, 2h, 1d, or an ISO 8601 time")
        var since: String?

        func apply(_ letters: [DeadLetter], now: Date = Date()) throws -> [DeadLetter] {
            let cutoff = try since.map { try Self.parseSince($0, now: now) }
            return letters.filter { letter in
                if let queue, letter.sourceQueue != queue && letter.deadQueue != queue { return false }
                if let reason, !letter.reason.localizedCaseInsensitiveContains(reason) { return false }
                if let cutoff, (letter.failedAt ?? .distantPast) < cutoff { return false }
                return true
            }
        }

        static func parseSince(_ text: String, now: Date) throws -> Date {
            if let date = Timestamp.parse(text) { return date }
            let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
            guard let unit = text.last.flatMap({ units[$0] }), let value = Double(text.dropLast()) else {
                throw ValidationError("--since takes 30m, 2h, 1d or an ISO 8601 time, not \(text)")
            }
            return now.addingTimeInterval(-value * unit)
        }
    }

    static func makeOperator(_ common: CommonOptions, label: String) throws -> DeadLetterOperator {
        let logger = common.logger(label: label)
        return DeadLetterOperator(configuration: try common.amqp(), logger: logger)
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List dead letters (a table, JSON lines, or counts per reason).")
        @OptionGroup var common: CommonOptions
        @OptionGroup var filters: Filters
        @Flag(help: "One JSON object per line, for scripts") var json = false
        @Flag(help: "Counts grouped by queue and reason") var group = false

        func run() async throws {
            let letters = try filters.apply(try DeadLetters.makeOperator(common, label: "pizzeria.dead-letters").list())
            if group {
                let groups = DeadLetterGroups.make(letters)
                if json {
                    for g in groups { print(JSONLine.make(["queue": g.queue, "reason": g.reason, "count": g.count])) }
                } else {
                    print(TextTable.render(header: ["COUNT", "QUEUE", "REASON"], rows: groups.map { [String($0.count), $0.queue, $0.reason] }))
                }
                return
            }
            if json {
                for letter in letters { print(JSONLine.make(DeadLetterJSON.summary(letter))) }
                return
            }
            let now = Date()
            let rows = letters.map { letter in
                [letter.id, letter.sourceQueue, Age.format(now.timeIntervalSince(letter.failedAt ?? now)), OrderNumber.label(letter.orderId),
                 letter.eventType ?? "-", String(letter.attempts), String(letter.reason.prefix(70))]
            }
            print(TextTable.render(header: ["ID", "QUEUE", "AGE", "ORDER", "TYPE", "ATTEMPTS", "REASON"], rows: rows))
            print("\(letters.count) dead letter\(letters.count == 1 ? "" : "s")")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one dead letter: properties, headers and body.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The id from `list`") var id: String

        func run() async throws {
            let letters = try DeadLetters.makeOperator(common, label: "pizzeria.dead-letters").list()
            guard let letter = letters.first(where: { $0.id == id }) else {
                throw ValidationError("no dead letter \(id) (already replayed or purged?)")
            }
            print(DeadLetterJSON.detailText(letter))
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send dead letters back to their work queue (confirmed first, then removed).",
            discussion: "Handlers are idempotent and the message_id is kept, so replaying a message that already succeeded changes nothing.")
        @OptionGroup var common: CommonOptions
        @OptionGroup var filters: Filters
        @Argument(help: "Ids from `list`") var ids: [String] = []
        @Flag(help: "Every dead letter matching the filters, as listed now") var all = false
        @Option(help: "At most this many messages per second") var rate: Double?
        @Flag(name: .customLong("dry-run"), help: "Show what would be replayed; change nothing") var dryRun = false

        func run() async throws {
            try await BulkAction.run(.replay(perSecond: rate), verb: "replay", common: common, filters: filters, ids: ids, all: all,
                                     dryRun: dryRun, confirmed: true)
        }
    }

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete dead letters for good.")
        @OptionGroup var common: CommonOptions
        @OptionGroup var filters: Filters
        @Argument(help: "Ids from `list`") var ids: [String] = []
        @Flag(help: "Every dead letter matching the filters, as listed now") var all = false
        @Flag(help: "Really delete (without it, only the count is shown)") var yes = false

        func run() async throws {
            try await BulkAction.run(.purge, verb: "purge", common: common, filters: filters, ids: ids, all: all, dryRun: !yes,
                                     confirmed: yes)
        }
    }
}

/// Replay and purge share this: a snapshot first, then action on exactly the snapshot's ids.
enum BulkAction {
    static func run(_ action: DeadLetterOperator.Action, verb: String, common: CommonOptions, filters: DeadLetters.Filters,
                    ids: [String], all: Bool, dryRun: Bool, confirmed: Bool) async throws {
        guard all != !ids.isEmpty else { throw ValidationError("give dead-letter ids, or --all (with optional filters), not both") }
        let deadLetters = try DeadLetters.makeOperator(common, label: "pizzeria.dead-letters")
        let snapshot = try filters.apply(try deadLetters.list())
        let targets = all ? snapshot.map(\.id) : ids
        let known = Set(snapshot.map(\.id))
        let unknown = targets.filter { !known.contains($0) }
        if !unknown.isEmpty { print("not found (already handled?): \(unknown.joined(separator: " "))") }
        let chosen = targets.filter { known.contains($0) }
        if dryRun {
            print("would \(verb) \(chosen.count) dead letter\(chosen.count == 1 ? "" : "s")\(confirmed ? "" : " (add --yes to do it)")")
            for letter in snapshot where chosen.contains(letter.id) {
                print("  \(letter.id)  \(letter.sourceQueue)  \(OrderNumber.label(letter.orderId))  \(letter.reason.prefix(70))")
            }
            return
        }
        let bar = ProgressBar(total: chosen.count, label: verb)
        let started = Date()
        let report = try deadLetters.perform(action, ids: chosen) { done, total in bar.update(done) }
        bar.finish()
        let seconds = Date().timeIntervalSince(started)
        print("\(verb == "replay" ? "replayed" : "purged") \(report.done.count) of \(chosen.count) in \(String(format: "%.1f", seconds)) s"
              + (report.missing.isEmpty ? "" : "; \(report.missing.count) were gone by then: \(report.missing.joined(separator: " "))"))
    }
}
