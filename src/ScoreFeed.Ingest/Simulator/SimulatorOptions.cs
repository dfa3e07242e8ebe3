using System.ComponentModel.DataAnnotations;

namespace ScoreFeed.Ingest.Simulator;

/// <summary>Configuration section <c>Ingest:Simulator</c>: the built-in feed, the default for local runs.</summary>
internal sealed class SimulatorOptions
{
    public const string Section = "Ingest:Simulator";

    public bool Enabled { get; set; } = true;

    /// <summary>Matches played at once, spread over the built-in competitions (football, basketball and tennis).</summary>
    [Range(1, 100_000)]
    public int Matches { get; set; } = 12;

    /// <summary>Aggregate rate of simulation steps over all matches; each step of a match in play is one update.</summary>
    [Range(0.01, 100_000)]
    public double UpdatesPerSecond { get; set; } = 4;

    /// <summary>Game seconds per wall-clock second. 1 is real time; more makes matches finish sooner (clocks then jump between updates).</summary>
    [Range(0.1, 1000)]
    public double TimeScale { get; set; } = 1;

    /// <summary>Share of matches already in play when the simulator starts (the others kick off within minutes).</summary>
    [Range(0.0, 1.0)]
    public double StartInPlay { get; set; } = 0.75;

    /// <summary>Random seed, for reproducible runs; unset means a new seed each start.</summary>
    public int? Seed { get; set; }
}
