using Microsoft.Extensions.Configuration;
using TheModel.Api.Handoffs;

namespace TheModel.Api.Sla;

/// <summary>
/// SLA policies from configuration (<c>Sla:MqlToIs:AcceptWithinHours</c> …), falling back to the defaults.
/// Run-time settings (<c>/api/settings/sla</c>) override these.
/// </summary>
public sealed class ConfiguredSlaPolicies(IConfiguration configuration) : ISlaPolicies
{
    public Task<SlaPolicy> ForAsync(HandoffKind kind, CancellationToken ct = default)
    {
        var policy = SlaPolicy.DefaultFor(kind);
        var section = configuration.GetSection($"Sla:{kind}");
        if (double.TryParse(section["AcceptWithinHours"], System.Globalization.CultureInfo.InvariantCulture, out var hours) && hours > 0)
        {
            policy = policy with { AcceptWithin = TimeSpan.FromHours(hours) };
        }
        return Task.FromResult(policy);
    }
}
