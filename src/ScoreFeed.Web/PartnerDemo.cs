using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Web.Assets;
using ScoreFeed.Web.ReadApi;
using ScoreFeed.Web.Security;

namespace ScoreFeed.Web;

/// <summary>
/// A pretend partner site, served on <see cref="WebOptions.PartnerDemoPort"/> (another origin): the widget pasted
/// in two lines, the scoreboard widget, and the iframe alternative. Its own CSS is deliberately hostile (it styles
/// every list, link and span) to show that the widget's Shadow DOM keeps both sides apart, and its CSP is strict
/// (no inline script or style but its one stylesheet, by hash) to show what a partner needs to allow.
/// Query: <c>?match={id}&amp;competition={id}&amp;key={partnerKey}&amp;theme=light|dark</c>.
/// </summary>
internal static class PartnerDemo
{
    private const string Style = """
        body { margin: 0; font: 17px/1.6 Georgia, "Times New Roman", serif; color: #222; background: #f7f2e8; }
        header { background: #6b1d1d; color: #fff; padding: 14px 24px; }
        header h1 { margin: 0; font-size: 26px; letter-spacing: 0.04em; }
        main { display: grid; gap: 28px; grid-template-columns: minmax(0, 1fr); max-width: 1100px; margin: 0 auto; padding: 24px; }
        @media (min-width: 900px) { main { grid-template-columns: minmax(0, 2fr) minmax(300px, 1fr); } }
        article p { margin: 0 0 1em; }
        aside { display: grid; gap: 20px; align-content: start; }
        h2 { font-size: 15px; text-transform: uppercase; color: #6b1d1d; border-bottom: 2px solid #6b1d1d; margin: 0 0 8px; }
        /* Hostile on purpose: none of this reaches inside the widget. */
        span, li, div { border-color: magenta !important; }
        li { list-style: square; color: purple; font-size: 22px; }
        a { color: #b00 !important; text-decoration: underline wavy !important; }
        .sf-card, .sf-score, .sf-chip { display: none !important; }
        pre { background: #fff; border: 1px solid #ccc; padding: 12px; overflow-x: auto; font-size: 13px; white-space: pre-wrap; word-break: break-all; }
        iframe { width: 100%; border: 0; min-height: 300px; }
        /* What docs/embedding.md asks of partners: the widget's space, reserved before its script loads. */
        scorefeed-match { display: block; min-height: 21.75rem; margin-bottom: 28px; }
        form.theme { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: 10px 16px; margin: 0 0 12px; font: 15px/1.4 system-ui, sans-serif; }
        form.theme label { display: grid; gap: 4px; }
        form.theme .pick { display: flex; align-items: center; gap: 8px; }
        form.theme select, form.theme input[type="color"] { font: inherit; min-height: 32px; }
        form.theme button { font: inherit; min-height: 32px; }
        """;

    private static readonly string StyleHash = "'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style))) + "'";

    public static async Task RenderAsync(HttpContext context)
    {
        var web = context.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value;
        var query = context.Request.Query;
        var key = query["key"].FirstOrDefault() ?? web.PartnerDemoKey;
        var theme = query["theme"].FirstOrDefault() is "dark" ? "dark" : "light";
        var matchId = Valid(query["match"].FirstOrDefault());
        var competitionId = Valid(query["competition"].FirstOrDefault());
        // The partner page's own language (?lang=fr): the widget takes it from <html lang>, the iframe from its URL.
        var lang = query["lang"].FirstOrDefault() is { } asked && Localization.Text.Languages.Contains(asked) ? asked : null;
        if (matchId is null || competitionId is null)
        {
            var api = context.RequestServices.GetRequiredService<ReadApiClient>();
            var live = (await api.MatchesAsync(null, context.RequestAborted) ?? [])
                .Where(m => MatchStatus.IsInPlay(m.Status)).OrderBy(m => m.Sport == Sports.Football ? 0 : 1).FirstOrDefault();
            matchId ??= live?.MatchId ?? "no-live-match";
            competitionId ??= live?.CompetitionId ?? "sim-premier";
        }
        var site = web.PublicBaseUrl.GetLeftPart(UriPartial.Authority);
        var widgetUrl = WebOptions.Combine(web.PublicBaseUrl, "widget.js");
        var embedUrl = WebOptions.Combine(web.PublicBaseUrl, $"embed/matches/{Uri.EscapeDataString(matchId)}?key={Uri.EscapeDataString(key)}&theme={theme}{(lang is null ? "" : $"&lang={lang}")}");
        var h = HtmlEncoder.Default;
        var editorUrl = WebOptions.Combine(web.PublicBaseUrl, context.RequestServices.GetRequiredService<ClientAssets>().Url("partner-demo.js").TrimStart('/'));
        var snippet = $"""
            <script src="{widgetUrl}" async></script>
            <scorefeed-match match="{matchId}" key="{key}" theme="{theme}"></scorefeed-match>
            """;

        var response = context.Response;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src {site}; style-src {StyleHash}; img-src 'self' data:; " +
            // 'self': the partner's own token URL (a widget with token-url fetches fresh embed tokens from its page's site).
            $"connect-src 'self' {SecurityHeaders.ConnectSources(web.HubOrigin)}; frame-src {site}; base-uri 'none'; form-action 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        await response.WriteAsync($"""
            <!doctype html>
            <html lang="{lang ?? "en"}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>The Harbour Herald · Sport (a ScoreFeed partner demo)</title>
            <style>{Style}</style>
            <script src="{h.Encode(widgetUrl)}" async></script>
            <script src="{h.Encode(editorUrl)}" defer></script>
            </head>
            <body>
            <header><h1>The Harbour Herald</h1></header>
            <main>
              <article>
                <h2>Sport</h2>
                <p>This page plays a partner's site: it is served from another origin than ScoreFeed, with its own
                styles, and embeds ScoreFeed in the two ways partners can.</p>
                <h2>1. The widget: two lines to paste</h2>
                <pre>{h.Encode(snippet)}</pre>
                <scorefeed-match id="demo-match" match="{h.Encode(matchId)}" key="{h.Encode(key)}" theme="{theme}"></scorefeed-match>
                <h2>2. The iframe, for sites that allow no scripts</h2>
                <pre>{h.Encode($"<iframe src=\"{embedUrl}\" title=\"Live score\" width=\"100%\" height=\"300\"></iframe>")}</pre>
                <iframe id="demo-iframe" src="{h.Encode(embedUrl)}" title="Live score" height="300" loading="lazy"></iframe>
                <h2>3. Your colours: the theming API</h2>
                {ThemeEditor}
                <pre id="theme-css" aria-live="polite"></pre>
              </article>
              <aside>
                <h2>Today in {h.Encode(competitionId)}</h2>
                <scorefeed-scoreboard id="demo-scoreboard" competition="{h.Encode(competitionId)}" key="{h.Encode(key)}" theme="{(theme == "dark" ? "light" : "dark")}"></scorefeed-scoreboard>
              </aside>
            </main>
            </body>
            </html>
            """, context.RequestAborted);
    }

    /// <summary>The theme editor's controls (ClientApp/src/partner-demo/editor.ts): each sets one --scorefeed-* property.</summary>
    private const string ThemeEditor = """
        <form id="theme-editor" class="theme" aria-label="Theme editor">
          <label>Layout<select id="theme-layout"><option value="full">Full</option><option value="compact">Compact</option></select></label>
          <label><span class="pick"><input type="checkbox" data-enables="theme-accent" id="use-accent">Accent colour</span><input type="color" id="theme-accent" data-property="--scorefeed-accent" value="#6b1d1d" aria-label="Accent colour value"></label>
          <label><span class="pick"><input type="checkbox" data-enables="theme-background" id="use-background">Background</span><input type="color" id="theme-background" data-property="--scorefeed-background" value="#f7f2e8" aria-label="Background value"></label>
          <label><span class="pick"><input type="checkbox" data-enables="theme-surface" id="use-surface">Card surface</span><input type="color" id="theme-surface" data-property="--scorefeed-surface" value="#fffdf8" aria-label="Card surface value"></label>
          <label><span class="pick"><input type="checkbox" data-enables="theme-text" id="use-text">Text</span><input type="color" id="theme-text" data-property="--scorefeed-text" value="#222222" aria-label="Text value"></label>
          <label><span class="pick"><input type="checkbox" data-enables="theme-live" id="use-live">Live badge</span><input type="color" id="theme-live" data-property="--scorefeed-live" value="#b91c1c" aria-label="Live badge value"></label>
          <label>Font<select id="theme-font" data-property="--scorefeed-font-family"><option value="">ScoreFeed's (system)</option><option value="Georgia, 'Times New Roman', serif">Georgia (serif)</option><option value="'Trebuchet MS', sans-serif">Trebuchet MS</option><option value="ui-monospace, monospace">Monospace</option></select></label>
          <label>Font size<select id="theme-size" data-property="--scorefeed-font-size"><option value="">Default (15 px)</option><option value="0.8125rem">13 px</option><option value="0.875rem">14 px</option><option value="1rem">16 px</option></select></label>
          <label>Corners<select id="theme-radius" data-property="--scorefeed-radius"><option value="">Rounded (default)</option><option value="0">Square</option><option value="0.375rem">Slight</option><option value="1.5rem">Round</option></select></label>
          <label>Spacing<select id="theme-spacing" data-property="--scorefeed-spacing"><option value="">Default</option><option value="0.5rem">Tight</option><option value="1rem">Airy</option></select></label>
          <label>Height (density)<select id="theme-height" data-property="--scorefeed-height"><option value="">Default for the layout</option><option value="19rem">Dense (19rem)</option><option value="24rem">Roomy (24rem)</option></select></label>
          <p><button type="reset">Back to ScoreFeed's theme</button></p>
        </form>
        """;

    private static string? Valid(string? id) => Ids.IsValid(id) ? id : null;
}
