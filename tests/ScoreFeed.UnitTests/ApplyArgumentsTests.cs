using System.Globalization;
using System.Text.RegularExpressions;
using ScoreFeed.Redis;

namespace ScoreFeed.UnitTests;

/// <summary>The store's APPLY script reads its ARGV by the names <see cref="ApplyArguments"/> gives, in its order.</summary>
public sealed class ApplyArgumentsTests
{
    [Fact]
    public void Values_go_in_the_order_of_the_parameters_the_script_names()
    {
        var parameters = typeof(ApplyArguments).GetConstructors()[0].GetParameters();
        // A distinct value per parameter: its position (booleans: alternately true and false, checked as 1/0).
        var values = parameters.Select((p, i) => p.ParameterType == typeof(bool) ? (object)(i % 2 == 0)
            : p.ParameterType == typeof(string) ? $"v{i}" : Convert.ChangeType(1000 + i, p.ParameterType, CultureInfo.InvariantCulture)).ToArray();
        var arguments = (ApplyArguments)Activator.CreateInstance(typeof(ApplyArguments), values)!;

        var sent = arguments.ToValues();

        Assert.Equal(parameters.Length, sent.Length);
        for (var i = 0; i < parameters.Length; i++)
        {
            var expected = values[i] is bool b ? (b ? "1" : "0") : Convert.ToString(values[i], CultureInfo.InvariantCulture);
            Assert.True(expected == sent[i].ToString(), $"ARGV[{i + 1}] ({parameters[i].Name}) is '{sent[i]}', expected '{expected}'");
        }
        var names = Regex.Match(ApplyArguments.LuaLocals, "^local (.*) = unpack\\(ARGV\\)\n$").Groups[1].Value.Split(", ");
        Assert.Equal(parameters.Select(p => char.ToLowerInvariant(p.Name![0]) + p.Name[1..]), names);
        Assert.StartsWith(ApplyArguments.LuaLocals, StoreScripts.Apply);
        Assert.DoesNotContain("ARGV[", StoreScripts.Apply);
    }
}
