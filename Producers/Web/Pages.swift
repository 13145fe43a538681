import Domain

/// Server-rendered pages. Every dynamic value goes through ``HTML/escape(_:)``.
enum Pages {
    static func layout(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title))</title>
        <style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:0 auto;padding:1rem;color:#1b1b1b}
        li{margin:.4rem 0}.price{color:#444}ol.steps li.done{font-weight:bold}</style></head>
        <body>\(body)</body></html>
        """
    }

    static func home(menu: Menu) -> String {
        var items = ""
        for pizza in menu.pizzas {
            let prices = pizza.sizes.map { "\($0.rawValue) \(formatCents(pizza.prices[$0] ?? 0))" }.joined(separator: " · ")
            items += "<li><strong>\(HTML.escape(pizza.name))</strong> — \(HTML.escape(pizza.description)) <span class=\"price\">\(HTML.escape(prices))</span></li>"
        }
        return layout(title: "Pizzeria", body: """
            <h1>Pizzeria</h1><h2>Menu</h2><ul>\(items)</ul>
            <p>Order through the API: <code>POST /api/orders</code> (see README).</p>
            """)
    }

    /// The tracking page: reads the token from the URL fragment and polls the API.
    static func tracking(orderId: String) -> String {
        let steps = [OrderStatus.placed, .accepted, .baking, .ready, .outForDelivery, .delivered]
        let list = steps.map { "<li id=\"step-\($0.rawValue)\">\(HTML.escape($0.label)) <span class=\"at\"></span></li>" }.joined()
        return layout(title: "Your order", body: """
            <h1>Your order</h1><p>Order <code>\(HTML.escape(orderId))</code>: <strong id="status">loading…</strong></p>
            <ol class="steps">\(list)</ol>
            <script>
            const id = \(JSString.literal(orderId));
            const token = new URLSearchParams(location.hash.slice(1)).get("token") || "";
            async function refresh() {
              const r = await fetch("/api/orders/" + encodeURIComponent(id), {headers: {"X-Tracking-Token": token}});
              if (!r.ok) { document.getElementById("status").textContent = "not found"; return; }
              const o = await r.json();
              document.getElementById("status").textContent = o.status.replace(/_/g, " ");
              for (const h of o.history) {
                const li = document.getElementById("step-" + h.status);
                if (li) { li.classList.add("done"); li.querySelector(".at").textContent = new Date(h.at).toLocaleTimeString(); }
              }
              if (o.status !== "delivered" && o.status !== "cancelled") setTimeout(refresh, 1000);
            }
            refresh();
            </script>
            """)
    }

    static func formatCents(_ cents: Int) -> String {
        "\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)"
    }
}

/// JavaScript string literals that cannot break out of a `<script>` element.
enum JSString {
    static func literal(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
