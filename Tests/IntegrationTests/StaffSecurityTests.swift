import Foundation
import Testing

extension IntegrationTests {
    /// The kitchen display and the operator console are for staff only.
    @Suite("Staff access")
    struct StaffSecurityTests {
        static let token = "staff-token-for-tests"

        @Test("Staff pages and APIs refuse requests without the staff token, and accept the login cookie or a bearer token")
        func staffOnly() async throws {
            try await withPipeline("staff", vhost: "t18", startWorkers: false) { pipeline in
                let base = pipeline.baseURL
                for path in ["/kitchen", "/console"] {
                    let (status, _) = try await HTTP.get(base + path)
                    #expect(status == 401, "\(path)")
                }
                for path in ["/api/kitchen/tickets", "/api/dead-letters", "/api/kitchen/events"] {
                    let (status, body) = try await HTTP.get(base + path)
                    #expect(status == 401, "\(path)")
                    #expect(HTTP.json(body)["code"] as? String == "unauthorized")
                    let (wrong, _) = try await HTTP.get(base + path, headers: [("Authorization", "Bearer not-the-token")])
                    #expect(wrong == 401)
                }
                let (replay, _) = try await HTTP.post(base + "/api/dead-letters/replay", body: Data(#"{"ids":[]}"#.utf8))
                #expect(replay == 401)
                let (bump, _) = try await HTTP.post(base + "/api/kitchen/tickets/00000000-0000-0000-0000-000000000000/bump", body: Data())
                #expect(bump == 401)
                // The HTML files behind the pages are not served directly either.
                let (file, _) = try await HTTP.get(base + "/kitchen.html")
                #expect(file == 404)

                // Login: the token goes in a form, once; the browser keeps an HttpOnly, SameSite cookie.
                var request = HTTPRequestBuilder.form(base + "/staff/login", fields: ["token": Self.token, "next": "/console"])
                let login = try await request.send()
                #expect(login.status == 303)
                #expect(login.header("location") == "/console")
                let cookie = try #require(login.header("set-cookie"))
                #expect(cookie.contains("HttpOnly"))
                #expect(cookie.contains("SameSite=Strict"))
                #expect(!cookie.contains(Self.token), "the cookie is not the token itself")
                let session = String(cookie.split(separator: ";")[0])
                let (console, _) = try await HTTP.get(base + "/console", headers: [("Cookie", session)])
                #expect(console == 200)
                let (tickets, ticketBody) = try await HTTP.get(base + "/api/kitchen/tickets", headers: [("Cookie", session)])
                #expect(tickets == 200)
                #expect(HTTP.json(ticketBody)["tickets"] is [Any])
                let (bearer, letters) = try await HTTP.get(base + "/api/dead-letters", headers: [("Authorization", "Bearer \(Self.token)")])
                #expect(bearer == 200)
                #expect(HTTP.json(letters)["messages"] is [Any])

                // A wrong token, and an attempt to bounce the user to another site after login.
                request = HTTPRequestBuilder.form(base + "/staff/login", fields: ["token": "guess", "next": "/kitchen"])
                let failed = try await request.send()
                #expect(failed.status == 303)
                #expect(failed.header("location")?.hasPrefix("/staff/login?error=1") == true)
                #expect(failed.header("set-cookie") == nil)
                request = HTTPRequestBuilder.form(base + "/staff/login", fields: ["token": Self.token, "next": "//evil.example/x"])
                let redirect = try await request.send()
                #expect(redirect.header("location") == "/kitchen")
            }
        }

        @Test("The kitchen sees a hostile name as data; pages carry a strict Content-Security-Policy")
        func hostileNameAndHeaders() async throws {
            try await withPipeline("staff-xss", vhost: "t19", startWorkers: false) { pipeline in
                let evil = "<script>alert(1)</script>"
                let order = try await OrderRequests.place(pipeline.baseURL, name: evil)
                let (_, body) = try await HTTP.get("\(pipeline.baseURL)/api/orders/\(order.id)", headers: [("X-Tracking-Token", order.token)])
                #expect(HTTP.json(body)["customerName"] as? String == evil)
                let page = try await HTTPRequestBuilder(url: "\(pipeline.baseURL)/track/\(order.id)").send()
                let csp = try #require(page.header("content-security-policy"))
                #expect(csp.contains("script-src 'self'"))
                #expect(!csp.contains("unsafe-inline"))
                #expect(!page.body.contains(evil), "no customer data is rendered into the page on the server")
                let home = try await HTTPRequestBuilder(url: "\(pipeline.baseURL)/").send()
                #expect(home.body.contains("class=\"pizza\""), "the menu reads without JavaScript")
            }
        }
    }
}
