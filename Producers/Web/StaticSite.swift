import Domain
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The browser files (HTML, CSS, JavaScript, SVG) shipped in `Producers/Public`, and the pages
/// built from them. Pages are read once at start; the menu is rendered on the server into the home
/// page so it reads without JavaScript.
struct StaticSite: Sendable {
    /// The folder the assets are served from.
    let root: URL
    private let pages: [String: String]

    init(root: URL? = nil) throws {
        let folder = root ?? Bundle.module.resourceURL!.appendingPathComponent("Public")
        self.root = folder
        var pages: [String: String] = [:]
        for name in ["index", "track", "kitchen", "console", "staff-login"] {
            pages[name] = try String(contentsOf: folder.appendingPathComponent("\(name).html"), encoding: .utf8)
        }
        self.pages = pages
    }

    func page(_ name: String) -> String { pages[name] ?? "" }

    /// The home page with the menu rendered in.
    func home(menu: Menu) -> Response {
        HTMLPage.response(page("index").replacingOccurrences(of: "<!--pizzeria:menu-->", with: Self.menuMarkup(menu)))
    }

    static func menuMarkup(_ menu: Menu) -> String {
        var out = "<ul class=\"menu\">"
        for pizza in menu.pizzas {
            let id = HTML.escape(pizza.id)
            out += "<li class=\"pizza\" id=\"pizza-\(id)\"><img src=\"/images/\(HTML.escape(pizza.imageName))\" alt=\"\(HTML.escape(pizza.name))\" width=\"120\" height=\"120\">"
            out += "<h3>\(HTML.escape(pizza.name))</h3><p>\(HTML.escape(pizza.description))</p><ul class=\"sizes\">"
            for size in pizza.sizes {
                out += "<li>\(size.rawValue) <span class=\"price\">\(Money.format(pizza.prices[size] ?? 0))</span></li>"
            }
            out += "</ul></li>"
        }
        return out + "</ul>"
    }

    /// The login page; `status` 401 when the visitor tried to open a staff page.
    func login(status: HTTPResponse.Status = .ok) -> Response {
        var response = HTMLPage.response(page("staff-login"))
        response.status = status
        return response
    }

    /// What a staff page answers without credentials: 401, and a way to the login form.
    func staffRequired(next: String) -> Response {
        let target = "/staff/login?next=\(next.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "/kitchen")"
        let html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=\(HTML.escape(target))">
            <title>Staff sign-in required</title></head><body><p>Staff sign-in required: <a href="\(HTML.escape(target))">sign in</a>.</p></body></html>
            """
        var response = HTMLPage.response(html)
        response.status = .unauthorized
        return response
    }
}

/// Refuses requests for `.html` files through the file server: pages have routes of their own
/// (some need staff credentials).
struct HideHTMLFilesMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path.hasSuffix(".html") { throw APIError(.notFound, code: "not_found", message: "Not found.") }
        return try await next(request, context)
    }
}
