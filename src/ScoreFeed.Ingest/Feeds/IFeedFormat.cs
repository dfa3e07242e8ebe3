using System.Text.Json;
using ScoreFeed.Contract;

namespace ScoreFeed.Ingest.Feeds;

/// <summary>
/// A vendor's documented format: what to request, how to authenticate, and how its payload maps to ScoreFeed's
/// model. One implementation per vendor (<c>FootballData/</c>, <c>ApiFootball/</c>); polling, resilience,
/// de-duplication and failover are the same for all of them.
/// </summary>
internal interface IFeedFormat
{
    /// <summary>The provider's name in configuration: <c>Ingest:Providers:{Name}</c>.</summary>
    string Name { get; }

    /// <summary>The prefix of the ids it makes: match <c>{IdPrefix}-{vendor id}</c>, and so for competitions and teams.</summary>
    string IdPrefix { get; }

    /// <summary>Orders the provider's versions in the store (<c>v:{Key}</c>) and tags its metrics.</summary>
    string Key { get; }

    /// <summary>The requests of a poll; <see cref="FeedRequest.EveryPoll"/> ones each time, the others once per <c>PollInterval</c>.</summary>
    IReadOnlyList<FeedRequest> Requests(DateTimeOffset now, bool anyInPlay);

    void Authorize(HttpRequestMessage request, string apiKey);

    FeedBatch Parse(FeedResponse response);

    /// <summary>
    /// The request of a competition's table, named as in <c>Standings</c> (validated by the options), and the id of
    /// that competition in ScoreFeed (as the match payloads make it).
    /// </summary>
    (FeedRequest Request, string CompetitionId) StandingsRequest(string competition);

    /// <summary>The table in a standings response, or why it cannot be read.</summary>
    (StandingsTable? Table, string? Error) ParseStandings(byte[] body);
}

/// <param name="PathAndQuery">Relative to the provider's <c>BaseUrl</c>.</param>
/// <param name="EveryPoll">Requested on every poll (the live list); otherwise once per <c>PollInterval</c> (the day's list).</param>
internal sealed record FeedRequest(string PathAndQuery, bool EveryPoll);

/// <summary>A vendor's response as received (or as recorded): what parsing and versioning need.</summary>
internal sealed record FeedResponse(string PathAndQuery, int Status, byte[] Body, string? ContentType, DateTimeOffset? Date, DateTimeOffset ReceivedAt)
{
    /// <summary>The vendor's time of the response: its Date header, else when it arrived.</summary>
    public long VendorTimeMs => (Date ?? ReceivedAt).ToUnixTimeMilliseconds();
}

internal static class FeedParsing
{
    /// <summary>
    /// Reads the list <paramref name="listProperty"/> and maps each item on its own: an item that cannot be mapped is
    /// rejected with its reason, and every sound item — including those before a truncation — is kept.
    /// </summary>
    public static FeedBatch Parse(FeedResponse response, string listProperty, Func<JsonElement, List<FeedReject>, FeedMatch> map,
        Func<FeedDocument, FeedReject?>? checkDocument = null)
    {
        var doc = FeedDocument.Read(response.Body, listProperty);
        if (doc.Broken is { } broken && doc.Items.Count == 0)
        {
            return new FeedBatch([], [], broken);
        }
        if (checkDocument?.Invoke(doc) is { } refused)
        {
            return new FeedBatch([], [], refused);
        }
        if (!doc.HasList)
        {
            return FeedBatch.Failed(RejectReasons.WrongShape, $"no '{listProperty}' list");
        }
        var matches = new List<FeedMatch>(doc.Items.Count);
        var rejects = new List<FeedReject>();
        foreach (var item in doc.Items)
        {
            try
            {
                matches.Add(map(item, rejects));
            }
            catch (FeedItemException e)
            {
                rejects.Add(new FeedReject(e.Reason, VendorIdOf(item), e.Message));
            }
        }
        return new FeedBatch(matches, rejects, doc.Broken);
    }

    private static string? VendorIdOf(JsonElement item) =>
        (item.Optional("id") ?? item.Optional("fixture")?.Optional("id"))?.ToString();
}
