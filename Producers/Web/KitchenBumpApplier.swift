import Foundation
import Infrastructure
import Logging

/// Applies kitchen bumps once their recall window has passed, and rings the outbox relay so the
/// status change is published at once. Runs on its own thread (GRDB's writes block).
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
            while !control.wait(.milliseconds(250)) {
                do {
                    if try database.applyDueBumps() > 0 { relay?.ring() }
                } catch {
                    logger.warning("kitchen.bumps.failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
