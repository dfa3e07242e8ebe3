using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScoreFeed.Contract;

/// <summary>Source-generated JSON for every wire and store type: camelCase, nulls omitted.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MatchState))]
[JsonSerializable(typeof(MatchUpdate))]
[JsonSerializable(typeof(SubscribeRequest))]
[JsonSerializable(typeof(SubscribeResult))]
[JsonSerializable(typeof(IReadOnlyList<MatchState>))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(MatchList))]
[JsonSerializable(typeof(AudienceMessage))]
public sealed partial class ScoreFeedJsonContext : JsonSerializerContext;
