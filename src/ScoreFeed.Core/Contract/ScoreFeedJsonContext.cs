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
[JsonSerializable(typeof(Pin))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, Pin>))]
[JsonSerializable(typeof(Dictionary<string, Pin>))]
[JsonSerializable(typeof(AuditEntry))]
[JsonSerializable(typeof(AuditLog))]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(EmbedTokenRequest))]
[JsonSerializable(typeof(EmbedTokenResponse))]
[JsonSerializable(typeof(UsageDay))]
[JsonSerializable(typeof(CorrectionRequest))]
[JsonSerializable(typeof(UndoRequest))]
[JsonSerializable(typeof(OperatorMatch))]
[JsonSerializable(typeof(ConflictProblem))]
[JsonSerializable(typeof(Incident))]
[JsonSerializable(typeof(MatchClock))]
[JsonSerializable(typeof(ScorePair))]
[JsonSerializable(typeof(Scoring.FeedTable))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string))]
public sealed partial class ScoreFeedJsonContext : JsonSerializerContext;
