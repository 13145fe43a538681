import Foundation
import Infrastructure
import Logging

/// The web front's housekeeping thread: applies kitchen bumps once their recall window has passed
/// (ringing the outbox relay so the status change is published at once), and prunes old
/// idempotency records every ten minutes. Runs on its own thread (GRDB's writes block).
public struct KitchenBumpApplier: Sendable {
    let database: PizzeriaDatabase
    let relay: LoopControl?
    let logger: Logger
    public let control = LoopControl()

    public init(database: PizzeriaDatabase, relay: LoopControl?, logger: Logger) {
        self.database = database
        self.relay = relay
        self.logger = logger
    }

    public var service: ThreadService {
        ThreadService(name: "kitchen-bumps", control: control) { [self] control in
            var lastPrune = ContinuousClock.now - .seconds(3600)
            while !control.wait(.milliseconds(250)) {
                do {
                    if try database.applyDueBumps() > 0 { relay?.ring() }
                    if ContinuousClock.now - lastPrune > .seconds(600) {
                        lastPrune = .now
                        let removed = try database.pruneIdempotencyRecords()
                        if removed > 0 { logger.info("housekeeping.pruned", metadata: ["rows": "\(removed)"]) }
                    }
                } catch {
                    logger.warning("housekeeping.failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
