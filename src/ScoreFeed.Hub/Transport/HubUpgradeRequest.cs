using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using ScoreFeed.Hub.Hubs;
using ScoreFeed.Hub.Protection;

namespace ScoreFeed.Hub.Transport;

/// <summary>What <see cref="HubUpgradeRequest.TryParse"/> made of the bytes a new connection sent first.</summary>
internal enum UpgradeParse
{
    /// <summary>The head is not complete yet, and so far it can be one.</summary>
    NeedMore,

    /// <summary>Anything else: another path, another method, a negotiated connection, a head this parser does not take
    /// as it is — Kestrel's HTTP/1.1 reads it (and answers the malformed ones).</summary>
    NotOurs,

    /// <summary>A well-formed WebSocket upgrade of <c>/hubs/scores</c> without a connection id.</summary>
    Ours,
}

/// <summary>
/// The first request of a connection when it is a hub WebSocket handshake (RFC 6455 §4.1) that skips negotiation, as
/// every ScoreFeed client sends it: <c>GET /hubs/scores[?key=…] HTTP/1.1</c> with <c>Host</c>, <c>Upgrade: websocket</c>,
/// <c>Connection: Upgrade</c>, <c>Sec-WebSocket-Version: 13</c> and a valid <c>Sec-WebSocket-Key</c>. The parser is
/// strict on purpose: what it does not take whole, HTTP/1.1 reads, as before.
/// </summary>
internal sealed record HubUpgradeRequest(string? Key, string? Origin, string WebSocketKey, IReadOnlyList<KeyValuePair<string, string>> Forwarded, int Length)
{
    /// <summary>The longest head taken (Kestrel's request line limit); longer ones go to HTTP/1.1.</summary>
    public const int MaxLength = 8 * 1024;

    /// <summary>The signed embed token of the <c>token</c> query parameter, if any.</summary>
    public string? Token { get; init; }

    private static readonly byte[] Start = Encoding.ASCII.GetBytes("GET " + ScoresHub.Path);

    private static ReadOnlySpan<byte> Get => "GET "u8;

    private static ReadOnlySpan<byte> Version => " HTTP/1.1"u8;

    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    private static ReadOnlySpan<byte> ForwardedPrefix => "x-forwarded-"u8;

    public static UpgradeParse TryParse(ReadOnlySequence<byte> buffer, out HubUpgradeRequest? request)
    {
        request = null;
        var length = (int)Math.Min(buffer.Length, MaxLength);
        if (buffer.FirstSpan.Length >= length)
        {
            return TryParse(buffer.FirstSpan[..length], out request);
        }
        var copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.Slice(0, length).CopyTo(copy);
            return TryParse(copy.AsSpan(0, length), out request);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private static UpgradeParse TryParse(ReadOnlySpan<byte> head, out HubUpgradeRequest? request)
    {
        request = null;
        // The request line's start decides early for every other request (an API call, a health check, HTTP/2). Only the
        // path as ScoreFeed's clients send it is read here; any other spelling that routing sends to the hub
        // (/HUBS/scores, …) takes HTTP/1.1, where ConnectionAdmission admits it by the same rule (HubRoute).
        var known = Math.Min(head.Length, Start.Length);
        if (!head[..known].SequenceEqual(Start.AsSpan(0, known)))
        {
            return UpgradeParse.NotOurs;
        }
        var end = head.IndexOf(HeadEnd);
        if (end < 0)
        {
            return head.Length < MaxLength ? UpgradeParse.NeedMore : UpgradeParse.NotOurs;
        }
        var lines = head[..(end + 2)];
        var lineEnd = lines.IndexOf("\r\n"u8);
        if (!TryTarget(lines[..lineEnd], out var query))
        {
            return UpgradeParse.NotOurs;
        }
        string? host = null, origin = null, webSocketKey = null;
        bool upgrade = false, connection = false, version = false;
        List<KeyValuePair<string, string>>? forwarded = null;
        for (lines = lines[(lineEnd + 2)..]; !lines.IsEmpty; lines = lines[(lineEnd + 2)..])
        {
            lineEnd = lines.IndexOf("\r\n"u8);
            var line = lines[..lineEnd];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || !IsToken(line[..colon]) || !IsFieldValue(line[(colon + 1)..]))
            {
                return UpgradeParse.NotOurs;
            }
            var name = line[..colon];
            var value = Encoding.ASCII.GetString(line[(colon + 1)..].Trim(" \t"u8));
            if (Is(name, "host"))
            {
                if (host is not null)
                {
                    return UpgradeParse.NotOurs;
                }
                host = value;
            }
            else if (Is(name, "origin"))
            {
                if (origin is not null)
                {
                    return UpgradeParse.NotOurs;
                }
                origin = value;
            }
            else if (Is(name, "sec-websocket-key"))
            {
                if (webSocketKey is not null)
                {
                    return UpgradeParse.NotOurs;
                }
                webSocketKey = value;
            }
            else if (Is(name, "upgrade"))
            {
                upgrade |= HasToken(value, "websocket");
            }
            else if (Is(name, "connection"))
            {
                connection |= HasToken(value, "upgrade");
            }
            else if (Is(name, "sec-websocket-version"))
            {
                version = value == "13";
            }
            else if (name.Length > ForwardedPrefix.Length && Ascii.EqualsIgnoreCase(name[..ForwardedPrefix.Length], ForwardedPrefix))
            {
                // X-Forwarded-For and the like, for the hub to apply as HTTP/1.1's forwarded-headers middleware would.
                (forwarded ??= []).Add(new(Encoding.ASCII.GetString(name), value));
            }
            else if (Is(name, "content-length") || Is(name, "transfer-encoding"))
            {
                // A body on a GET: HTTP/1.1 decides what to do with it.
                return UpgradeParse.NotOurs;
            }
        }
        if (string.IsNullOrEmpty(host) || !upgrade || !connection || !version || !IsValidKey(webSocketKey))
        {
            return UpgradeParse.NotOurs;
        }
        var parameters = QueryHelpers.ParseQuery(query);
        if (parameters.ContainsKey(HubRoute.ConnectionIdParameter))
        {
            // A negotiated connection: SignalR's endpoint has it.
            return UpgradeParse.NotOurs;
        }
        var key = parameters.TryGetValue(HubRoute.KeyParameter, out var keys) ? keys.ToString() : null;
        request = new HubUpgradeRequest(key, origin, webSocketKey!, forwarded ?? [], end + HeadEnd.Length)
        {
            Token = HubRoute.TokenOf(parameters.GetValueOrDefault(HubRoute.TokenParameter), parameters.GetValueOrDefault(HubRoute.AccessTokenParameter)),
        };
        return UpgradeParse.Ours;
    }

    /// <summary><c>GET /hubs/scores[/][?query] HTTP/1.1</c>: the query (with its <c>?</c>, or empty).</summary>
    private static bool TryTarget(ReadOnlySpan<byte> line, out string query)
    {
        query = "";
        if (!line.EndsWith(Version))
        {
            return false;
        }
        var target = line[Get.Length..^Version.Length];
        var question = target.IndexOf((byte)'?');
        var path = question < 0 ? target : target[..question];
        if (!HubRoute.IsConnect(path))
        {
            return false;
        }
        if (question >= 0)
        {
            var raw = target[question..];
            // Printable ASCII without spaces, as a request target is (RFC 9112 §3.2).
            foreach (var b in raw)
            {
                if (b <= 0x20 || b >= 0x7F)
                {
                    return false;
                }
            }
            query = Encoding.ASCII.GetString(raw);
        }
        return true;
    }

    private static bool Is(ReadOnlySpan<byte> name, string expected) => Ascii.EqualsIgnoreCase(name, expected);

    /// <summary>A comma-separated header value that lists <paramref name="token"/> (any case).</summary>
    private static bool HasToken(string value, string token)
    {
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
        {
            if (string.Equals(part, token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>As the WebSockets middleware checks it: base64 of 16 bytes.</summary>
    private static bool IsValidKey(string? key)
    {
        Span<byte> decoded = stackalloc byte[18];
        return key is { Length: 24 } && Convert.TryFromBase64String(key, decoded, out var written) && written == 16;
    }

    private static bool IsToken(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (b is <= 0x20 or >= 0x7F or (byte)'(' or (byte)')' or (byte)',' or (byte)'/' or (byte)':' or (byte)';' or (byte)'<'
                or (byte)'=' or (byte)'>' or (byte)'?' or (byte)'@' or (byte)'[' or (byte)'\\' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'"')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Visible ASCII, spaces and tabs only: anything else (obsolete line folding, other bytes) goes to HTTP/1.1.</summary>
    private static bool IsFieldValue(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            if (b is < 0x20 and not (byte)'\t' or >= 0x7F)
            {
                return false;
            }
        }
        return true;
    }
}
