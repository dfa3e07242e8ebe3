using ScoreFeed.Ingest.Feeds;

namespace ScoreFeed.UnitTests;

/// <summary>Vendor text as fans see it: nothing that reverses, hides or breaks what a page shows next to it.</summary>
public sealed class FeedTextTests
{
    [Theory]
    [InlineData("Arsenal\u202E lanesrA", "Arsenal lanesrA")] // right-to-left override
    [InlineData("\u2067Home\u2069 FC", "Home FC")] // right-to-left isolate and its end
    [InlineData("Ba\u200Byern\uFEFF", "Bayern")] // zero-width space, BOM
    [InlineData("Goal\u0000\u001B[2J!", "Goal[2J!")] // controls
    [InlineData("  Real  ", "Real")]
    [InlineData("\u0645\u06CC\u200C\u0631\u0648\u062F", "\u0645\u06CC\u200C\u0631\u0648\u062F")] // Persian: the non-joiner stays
    [InlineData("\U0001F468\u200D\U0001F469\u200D\U0001F467", "\U0001F468\u200D\U0001F469\u200D\U0001F467")] // one emoji with joiners
    public void Keeps_what_a_name_needs_and_drops_what_hides_or_reverses_text(string vendor, string shown) =>
        Assert.Equal(shown, FeedText.Clean(vendor));

    [Fact]
    public void Unpaired_surrogates_are_dropped() =>
        // Built here: attribute arguments cannot carry an unpaired surrogate.
        Assert.Equal("abc", FeedText.Clean(string.Concat("a", '\uD800'.ToString(), "b", '\uDC00'.ToString(), "c")));

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    [InlineData("\u202E\u200B\u0007")]
    public void Nothing_left_is_no_text(string? vendor) => Assert.Null(FeedText.Clean(vendor));

    [Fact]
    public void Long_text_is_cut_at_a_whole_character()
    {
        var flags = string.Concat(Enumerable.Repeat("\U0001F1EB\U0001F1F7", 150)); // 150 flags, 4 chars each
        var clean = FeedText.Clean("x" + flags)!;

        Assert.Equal(FeedText.MaxLength, new System.Globalization.StringInfo(clean).LengthInTextElements);
        Assert.EndsWith("\U0001F1EB\U0001F1F7", clean);
        Assert.Equal(FeedText.MaxLength, FeedText.Clean(new string('a', 500))!.Length);
    }
}
