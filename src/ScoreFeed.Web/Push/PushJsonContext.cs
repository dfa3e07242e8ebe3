using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScoreFeed.Web.Push;

/// <summary>Source-generated JSON of the push API and the alert payload: camelCase, unknown members refused.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(SubscriptionRequest))]
[JsonSerializable(typeof(UnsubscribeRequest))]
[JsonSerializable(typeof(PushKeyResponse))]
[JsonSerializable(typeof(AlertPayload))]
internal sealed partial class PushJsonContext : JsonSerializerContext;
