using System.Text.Json;
using ScoreFeed.Contract;
using ScoreFeed.Redis;

namespace ScoreFeed.Ingest.Operators;

/// <summary>
/// The two sides of a pin (docs/architecture.md, "Operator corrections, pins and audit"). An operator's change
/// pins every field it sets to something other than what the feed says; a feed change leaves pinned fields at
/// the operator's value, keeps the feed's as "feed says", and clears a pin once the feed reports its value.
/// Both return the change to apply together with the new pins and the audit entry.
/// </summary>
internal static class Pins
{
    /// <summary>The "operator" of audit entries written on the feed's behalf.</summary>
    public const string Feed = "feed";

    /// <summary>
    /// A feed change. <paramref name="derive"/> sees the match as the feed last reported it (pinned fields hold
    /// the feed's values), so a feed that derives from the previous state stays consistent with itself.
    /// </summary>
    public static MatchChange? ForFeed(StoredMatch? stored, Func<MatchState?, MatchChange?> derive)
    {
        if (stored is null || stored.Pins.Count == 0)
        {
            return derive(stored?.State);
        }
        var change = derive(stored.Pins.Aggregate(stored.State, (view, pin) => FieldValues.Set(view, pin.Key, pin.Value.Feed)));
        if (change is null)
        {
            return null;
        }
        var state = change.State;
        var pins = new Dictionary<string, Pin>(StringComparer.Ordinal);
        var cleared = new List<string>();
        foreach (var (field, pin) in stored.Pins)
        {
            var reported = FieldValues.Get(change.State, field);
            if (FieldValues.Same(reported, pin.Value))
            {
                cleared.Add(field);
                continue;
            }
            pins[field] = pin with { Feed = reported };
            state = FieldValues.Set(state, field, pin.Value);
        }
        return change with
        {
            State = state,
            // Fans already hold the pinned version of that incident.
            Incident = change.Incident is { } incident && pins.ContainsKey(MatchFields.Incident(incident.Id)) ? null : change.Incident,
            Pins = MatchStore.PinsJson(pins) == MatchStore.PinsJson(stored.Pins) ? null : pins,
            Audit = cleared.Count == 0 ? null : new AuditEntry
            {
                Operator = Feed,
                Action = AuditActions.PinCleared,
                Reason = "the feed reports the pinned value",
                Released = cleared,
            },
        };
    }

    /// <summary>
    /// An operator's change: sets each field to its value; a field set to what the feed says is released, any
    /// other is pinned. Null when it would change nothing.
    /// </summary>
    public static MatchChange? Correct(StoredMatch current, IReadOnlyList<KeyValuePair<string, JsonElement>> values, OperatorAction action, long now)
    {
        var state = current.State;
        var pins = new Dictionary<string, Pin>(current.Pins, StringComparer.Ordinal);
        var before = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var after = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var pinned = new List<string>();
        var released = new List<string>();
        Incident? incident = null;
        foreach (var (field, value) in values)
        {
            var old = FieldValues.Get(state, field);
            if (FieldValues.Same(old, value))
            {
                continue;
            }
            before[field] = old;
            after[field] = value;
            state = FieldValues.Set(state, field, value);
            if (MatchFields.IncidentId(field) is { } id)
            {
                // An update carries one incident: as it is now, or as it was with "removed": true.
                if (incident is not null)
                {
                    throw new ArgumentException("A change sets at most one incident.", nameof(values));
                }
                incident = FieldValues.Find(state, id) ?? old.Deserialize(ScoreFeedJsonContext.Default.Incident)! with { Removed = true };
            }
            var feed = pins.TryGetValue(field, out var pin) ? pin.Feed : old;
            if (FieldValues.Same(value, feed))
            {
                pins.Remove(field);
                released.Add(field);
            }
            else
            {
                pins[field] = new Pin { Value = value, Feed = feed, By = action.Operator, At = now, Reason = action.Reason };
                pinned.Add(field);
            }
        }
        if (before.Count == 0)
        {
            return null;
        }
        return new MatchChange
        {
            State = state,
            Incident = incident,
            Source = UpdateSources.Operator,
            Pins = pins,
            Audit = new AuditEntry
            {
                Operator = action.Operator,
                Action = action.Name,
                Reason = action.Reason,
                Before = before,
                After = after,
                Pinned = pinned,
                Released = released,
                UndoOf = action.UndoOf,
            },
        };
    }
}

/// <summary>Who does what and why, as the audit records it.</summary>
internal sealed record OperatorAction(string Operator, string Name, string Reason, string? UndoOf = null);
