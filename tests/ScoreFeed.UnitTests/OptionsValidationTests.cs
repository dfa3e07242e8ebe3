using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScoreFeed.Redis;

namespace ScoreFeed.UnitTests;

public sealed class OptionsValidationTests
{
    [Fact]
    public void Invalid_values_fail_with_the_configuration_key_in_the_message()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection([new("Store:HistoryLength", "0"), new("Store:KeyPrefix", "ok")]).Build());
        services.AddValidatedOptions<StoreOptions>(StoreOptions.Section);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<StoreOptions>>().Value);

        Assert.Contains("Store:HistoryLength:", error.Message);
    }

    [Theory]
    [InlineData(null, "is missing")]
    [InlineData("", "is missing")]
    [InlineData("127.0.0.1:6379,nonsense=1", "is not a Redis connection string")]
    [InlineData("abortConnect=false", "names no Redis endpoint")]
    public void A_bad_redis_connection_string_is_reported_with_its_key(string? value, string reason)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("ConnectionStrings:redis", value)]).Build();

        var error = Assert.Throws<OptionsValidationException>(() => RedisRegistration.ReadRedisConfiguration(configuration, "test"));

        Assert.Contains("ConnectionStrings:redis", error.Message);
        Assert.Contains(reason, error.Message);
    }
}
