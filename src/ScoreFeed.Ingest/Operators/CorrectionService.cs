using System.Text.Json;
using ScoreFeed.Contract;
using ScoreFeed.Ingest.Publishing;
using ScoreFeed.Redis;

namespace ScoreFeed.Ingest.Operators;

internal enum CorrectionStatus
{
    Applied,
    /// <summary>The match already holds these values: nothing was changed, published or audited.</summary>
    Unchanged,
    NotFound,
    /// <summary>The match's seq is not the one the operator decided on.</summary>
    Conflict,
    Invalid,
}

/// <summary>What became of an operator's change; <see cref="Match"/> is the match after it (or as it is, for a conflict).</summary>
internal sealed record CorrectionOutcome(CorrectionStatus Status, OperatorMatch? Match = null, string? Field = null, string? Detail = null)
{
    public static CorrectionOutcome NotFound(string detail) => new(CorrectionStatus.NotFound, Detail: detail);

    public static CorrectionOutcome Invalid(string field, string detail) => new(CorrectionStatus.Invalid, Field: field, Detail: detail);
}

/// <summary>The field values an operator's change sets, decided on the match as it is; or why it cannot be made.</summary>
internal sealed record Resolution(IReadOnlyList<KeyValuePair<string, JsonElement>> Values, CorrectionOutcome? Refusal = null)
{
    public static Resolution Refuse(CorrectionOutcome refusal) => new([], refusal);
}

/// <summary>
/// Corrections, undos and pin releases: each is one change through <see cref="MatchUpdater.ChangeAsync"/> (the
/// store's atomic step, next seq, published to every hub with source "operator"), carrying its pins and its
/// audit entry. An <c>expectedSeq</c> is checked on the state the change is derived from, and the store applies
/// the change only while that state is current, so two operators never overwrite each other blindly.
/// </summary>
internal sealed class CorrectionService(MatchUpdater updater, MatchStore store, IngestMetrics metrics, TimeProvider time)
{
    /// <summary>Release-all takes one change per incident (an update carries one): this bounds the loop.</summary>
    private const int MaxReleaseSteps = 100;

    public Task<CorrectionOutcome> CorrectAsync(string matchId, CorrectionRequest request, string user, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return ApplyAsync(matchId, request.ExpectedSeq, new OperatorAction(user, AuditActions.Correction, request.Reason!.Trim()),
            current => CorrectionRequests.Resolve(request, current, now), cancellationToken);
    }

    /// <summary>A new correction that sets the fields of audit entry <paramref name="entryId"/> back to their values before it.</summary>
    public async Task<CorrectionOutcome> UndoAsync(string matchId, string entryId, UndoRequest request, string user, CancellationToken cancellationToken)
    {
        var entry = await store.ReadAuditEntryAsync(matchId, entryId).ConfigureAwait(false);
        if (entry is null)
        {
            return CorrectionOutcome.NotFound($"No audit entry '{entryId}' for match '{matchId}'.");
        }
        if (entry.Before.Count == 0)
        {
            return CorrectionOutcome.Invalid("entryId", $"Audit entry '{entryId}' ({entry.Action}) changed no values: there is nothing to undo.");
        }
        return await ApplyAsync(matchId, request.ExpectedSeq, new OperatorAction(user, AuditActions.Undo, request.Reason!.Trim(), entryId),
            _ => new Resolution([.. entry.Before]), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Releases the pin of <paramref name="field"/>, or every pin when it is null: the field takes the value the
    /// feed reports, and the feed drives it again.
    /// </summary>
    public async Task<CorrectionOutcome> ReleaseAsync(string matchId, string? field, long? expectedSeq, string user, string reason, CancellationToken cancellationToken)
    {
        var action = new OperatorAction(user, AuditActions.Release, reason);
        if (field is not null)
        {
            return await ApplyAsync(matchId, expectedSeq, action, current => current.Pins.TryGetValue(field, out var pin)
                ? new Resolution([new(field, pin.Feed)])
                : Resolution.Refuse(CorrectionOutcome.NotFound($"Field '{field}' of match '{matchId}' is not pinned.")), cancellationToken).ConfigureAwait(false);
        }
        var outcome = await ApplyAsync(matchId, expectedSeq, action, ReleaseStep, cancellationToken).ConfigureAwait(false);
        for (var step = 1; step < MaxReleaseSteps && outcome is { Status: CorrectionStatus.Applied, Match.Pins.Count: > 0 }; step++)
        {
            outcome = await ApplyAsync(matchId, null, action, ReleaseStep, cancellationToken).ConfigureAwait(false);
        }
        return outcome;
    }

    /// <summary>The match with its pins, for operators; null if it is unknown.</summary>
    public async Task<OperatorMatch?> GetAsync(string matchId) =>
        await store.GetStoredAsync(matchId).ConfigureAwait(false) is { } stored ? View(stored) : null;

    /// <summary>Every scalar pin at once, else the next incident pin (an update carries at most one incident).</summary>
    private static Resolution ReleaseStep(StoredMatch current)
    {
        var scalars = current.Pins.Where(p => MatchFields.IncidentId(p.Key) is null).ToList();
        var step = scalars.Count > 0 ? scalars : current.Pins.Take(1);
        return new Resolution([.. step.Select(p => new KeyValuePair<string, JsonElement>(p.Key, p.Value.Feed))]);
    }

    private async Task<CorrectionOutcome> ApplyAsync(string matchId, long? expectedSeq, OperatorAction action,
        Func<StoredMatch, Resolution> resolve, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        StoredMatch? read = null;
        MatchChange? planned = null;
        CorrectionOutcome? refused = null;
        // Runs again on a lost race; expectedSeq is checked on the very state the applied change is derived from.
        var result = await updater.ChangeAsync(matchId, current =>
        {
            read = current;
            (planned, refused) = Plan(matchId, current, expectedSeq, action, resolve, now);
            return planned;
        }, cancellationToken).ConfigureAwait(false);

        if (refused is not null)
        {
            if (refused.Status == CorrectionStatus.Conflict)
            {
                metrics.CorrectionConflict();
            }
            return refused;
        }
        if (result is null)
        {
            // Nothing was offered to the store: the match already holds these values.
            return new CorrectionOutcome(CorrectionStatus.Unchanged, View(read!));
        }
        if (result.Outcome != ApplyOutcome.Applied)
        {
            // Other writers won every retry: report it like a stale expectedSeq.
            metrics.CorrectionConflict();
            var current = await store.GetStoredAsync(matchId).ConfigureAwait(false);
            return new CorrectionOutcome(CorrectionStatus.Conflict, current is null ? null : View(current), Detail: "The match kept changing; try again.");
        }
        var committed = result.Update!.State;
        var state = planned!.State with { Epoch = committed.Epoch, Seq = committed.Seq, UpdatedAt = committed.UpdatedAt };
        return new CorrectionOutcome(CorrectionStatus.Applied, new OperatorMatch { State = state, Pins = planned.Pins!, AuditId = result.AuditId });
    }

    private static (MatchChange? Change, CorrectionOutcome? Refusal) Plan(string matchId, StoredMatch? current, long? expectedSeq,
        OperatorAction action, Func<StoredMatch, Resolution> resolve, long now)
    {
        if (current is null)
        {
            return (null, CorrectionOutcome.NotFound($"No match '{matchId}'."));
        }
        if (expectedSeq is { } seq && seq != current.State.Seq)
        {
            return (null, new CorrectionOutcome(CorrectionStatus.Conflict, View(current),
                Detail: $"The match is at seq {current.State.Seq}, not {seq}: it changed since. Decide again on its current state."));
        }
        var resolution = resolve(current);
        return resolution.Refusal is { } refusal ? (null, refusal) : (Pins.Correct(current, resolution.Values, action, now), null);
    }

    private static OperatorMatch View(StoredMatch stored) => new() { State = stored.State, Pins = stored.Pins };
}
