using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Hub.Access;
using ScoreFeed.Partners;
using ScoreFeed.Testing;

namespace ScoreFeed.UnitTests;

/// <summary>Embed tokens as the hubs check them: signature (with rotation), issuer, audience, expiry, lifetime, scope.</summary>
public sealed class EmbedTokensTests
{
    private const string Old = "old-secret-of-the-news-site-0123456789";
    private const string New = "new-secret-of-the-news-site-9876543210";

    private static readonly Partner News = new("news", new HashSet<string> { "https://news.example" }, 10) { TokenSecrets = [New, Old] };
    private static readonly EmbedTokens Tokens = new(TimeProvider.System, Options.Create(new HubAccessOptions()));

    private static async Task<string?> ErrorAsync(Partner partner, string token) => (await Tokens.CheckAsync(partner, token)).Error;

    [Fact]
    public async Task A_token_signed_with_any_current_secret_grants_its_topics_until_it_expires()
    {
        var (grant, error) = await Tokens.CheckAsync(News, EmbedTokenMinter.Mint("news", Old, TimeSpan.FromMinutes(10), ["match:m1", "competition:c1"]));
        Assert.Null(error);
        Assert.InRange(grant!.Expires, DateTimeOffset.UtcNow.AddMinutes(9), DateTimeOffset.UtcNow.AddMinutes(11));
        Assert.True(grant.Allows("match:m1"));
        Assert.False(grant.Allows("match:m2"));
        Assert.False(grant.Allows(Topic.LiveName));
        // No topics claim: any topic. The newer secret works too.
        var any = (await Tokens.CheckAsync(News, EmbedTokenMinter.Mint("news", New, TimeSpan.FromMinutes(10)))).Grant;
        Assert.True(any!.Allows(Topic.LiveName));
        // Once the old secret is retired, its tokens stop working.
        Assert.Contains("signature", await ErrorAsync(News with { TokenSecrets = [New] }, EmbedTokenMinter.Mint("news", Old, TimeSpan.FromMinutes(10))));
    }

    [Fact]
    public async Task Forged_expired_foreign_and_overlong_tokens_are_refused_saying_why()
    {
        Assert.Contains("signature", await ErrorAsync(News, EmbedTokenMinter.Mint("news", "a-forger-guessing-the-secret-0123456789", TimeSpan.FromMinutes(5))));
        Assert.Contains("expired", await ErrorAsync(News, EmbedTokenMinter.Mint("news", New, TimeSpan.FromMinutes(5), now: DateTimeOffset.UtcNow.AddMinutes(-10))));
        Assert.Contains("another partner", await ErrorAsync(News, EmbedTokenMinter.Mint("other", New, TimeSpan.FromMinutes(5))));
        Assert.Contains("audience", await ErrorAsync(News, EmbedTokenMinter.Mint("news", New, TimeSpan.FromMinutes(5), audience: "elsewhere")));
        Assert.Contains("60 minutes", await ErrorAsync(News, EmbedTokenMinter.Mint("news", New, TimeSpan.FromHours(24))));
        Assert.NotNull(await ErrorAsync(News, EmbedTokenMinter.Mint("news", New, TimeSpan.FromMinutes(5), algorithm: "none")));
        Assert.Contains("topics", await ErrorAsync(News, EmbedTokenMinter.Mint("news", New, TimeSpan.FromMinutes(5), ["everything"])));
        Assert.NotNull(await ErrorAsync(News, "not.a.token"));
        Assert.Contains("4096", await ErrorAsync(News, new string('a', 5000)));
        Assert.Contains("no tokens", await ErrorAsync(News with { TokenSecrets = [] }, EmbedTokenMinter.Mint("news", New, TimeSpan.FromMinutes(5))));
    }

    [Fact]
    public async Task The_token_endpoints_tokens_pass_the_same_check()
    {
        var (token, expires) = Tokens.Mint(News, TimeSpan.FromMinutes(20), ["match:m1"]);
        var (grant, error) = await Tokens.CheckAsync(News, token);
        Assert.Null(error);
        Assert.Equal(expires.ToUnixTimeSeconds(), grant!.Expires.ToUnixTimeSeconds());
        Assert.Equal(["match:m1"], grant.Topics!);
        Assert.True(Tokens.Mint(News, TimeSpan.FromDays(1), null).Expires <= DateTimeOffset.UtcNow.Add(EmbedTokens.MaxLifetime).AddSeconds(1));
    }

    [Fact]
    public void A_partner_that_requires_tokens_admits_no_connection_without_one_and_counts_every_one_with_one()
    {
        var policy = new AccessPolicy(Options.Create(new HubAccessOptions { SiteOrigins = ["https://scores.example"] }),
            new PartnerDirectory(new Dictionary<string, PartnerOptions>
            {
                ["news"] = new() { AllowedOrigins = ["https://news.example"], TokenSecrets = [New], RequireToken = true },
            }));
        Assert.Equal(ConnectionRefusal.TokenRequired, policy.Decide("news", "https://news.example").RefusalCode);
        Assert.Equal(ConnectionRefusal.TokenRequired, policy.Decide("news", null).RefusalCode);
        Assert.Equal("news", policy.Decide("news", "https://news.example", withToken: true).Partner?.Key);
        // With a token and no Origin: the partner's own app, counted against its limit.
        Assert.Equal("news", policy.Decide("news", null, withToken: true).Partner?.Key);
        // A token does not widen the partner's origins.
        Assert.Equal(ConnectionRefusal.OriginNotAllowed, policy.Decide("news", "https://evil.example", withToken: true).RefusalCode);
    }
}
