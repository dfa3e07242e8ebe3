using System.Diagnostics;
using ScoreFeed.Fuzz;
using ScoreFeed.UnitTests.Transport;
using SharpFuzz;

// ScoreFeed.Fuzz TARGET                 under afl-fuzz: one input per run, from AFL (docs/operations.md, "Fuzzing")
// ScoreFeed.Fuzz TARGET DIR [N]         smoke run, no fuzzer needed: every file in DIR, then N mutations of each
// ScoreFeed.Fuzz seed DIR               writes the seed corpus: DIR/handshake, DIR/frames
// TARGET: handshake (HubUpgradeRequest.TryParse) or frames (FrameClientSocket, the hub's frame reader)
if (args is ["seed", var seedDirectory])
{
    Corpus.Write(seedDirectory);
    return 0;
}
Action<byte[]> target = args.FirstOrDefault() switch
{
    "handshake" => Targets.Handshake,
    "frames" => Targets.Frames,
    _ => null!,
};
if (target is null)
{
    Console.Error.WriteLine("usage: ScoreFeed.Fuzz handshake|frames [DIR [MUTATIONS]] | seed DIR");
    return 2;
}
if (args.Length == 1)
{
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var input = new MemoryStream();
        stream.CopyTo(input);
        target(input.ToArray());
    });
    return 0;
}

var mutations = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 0;
var findings = Path.Combine(Path.GetTempPath(), "scorefeed-fuzz-findings", args[0]);
var (executions, failures) = (0, 0);
var watch = Stopwatch.StartNew();
foreach (var file in Directory.GetFiles(args[1]).Order(StringComparer.Ordinal))
{
    var seed = File.ReadAllBytes(file);
    var random = new Random(Path.GetFileName(file).Length * 7919 + seed.Length);
    for (var i = 0; i <= mutations; i++)
    {
        var input = i == 0 ? seed : Mutations.Apply(seed, random, random.Next(1, 4));
        executions++;
        try
        {
            target(input);
        }
        catch (Exception e)
        {
            failures++;
            Directory.CreateDirectory(findings);
            var saved = Path.Combine(findings, $"{Path.GetFileName(file)}-{i}");
            File.WriteAllBytes(saved, input);
            Console.WriteLine($"finding: {saved}: {e.GetType().Name}: {e.Message}");
        }
    }
}
Console.WriteLine($"{args[0]}: {executions} executions in {watch.Elapsed.TotalSeconds:F1} s, {failures} findings");
return failures == 0 ? 0 : 1;
