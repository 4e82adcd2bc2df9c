using TheModel.Bot.Teams;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Teams;

/// <summary>The <c>Teams</c> section is checked at start, and a wrong value names its key.</summary>
public class TeamsOptionsTests
{
    private static IReadOnlyList<string> FailuresOf(TeamsOptions options) =>
        new TeamsOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void Validate_Defaults_Pass()
    {
        Assert.Empty(FailuresOf(new TeamsOptions()));
    }

    [Fact]
    public void Validate_LocalHttpMetadata_Passes()
    {
        Assert.Empty(FailuresOf(new TeamsOptions { AppId = "app", TenantId = "tenant-1", OpenIdMetadataUrl = "http://127.0.0.1:5123/v1/.well-known/openidconfiguration" }));
    }

    [Theory]
    [InlineData("http://login.botframework.com/v1/.well-known/openidconfiguration")]
    [InlineData("login.botframework.com/v1/.well-known/openidconfiguration")]
    [InlineData("")]
    public void Validate_MetadataNotHttps_NamesTheKey(string url)
    {
        var failure = Assert.Single(FailuresOf(new TeamsOptions { OpenIdMetadataUrl = url }));
        Assert.StartsWith("Teams:OpenIdMetadataUrl ", failure);
    }

    [Fact]
    public void Validate_PasswordWithoutAppId_NamesBothKeys()
    {
        var failure = Assert.Single(FailuresOf(new TeamsOptions { AppPassword = "secret" }));
        Assert.Contains("Teams:AppPassword", failure);
        Assert.Contains("Teams:AppId", failure);
    }

    [Fact]
    public void Validate_NoActivityBytes_NamesTheKey()
    {
        var failure = Assert.Single(FailuresOf(new TeamsOptions { MaxActivityBytes = 0 }));
        Assert.StartsWith("Teams:MaxActivityBytes ", failure);
    }

    [Fact]
    public void Validate_TrustedHostWithAScheme_NamesTheEntry()
    {
        var failure = Assert.Single(FailuresOf(new TeamsOptions { TrustedServiceHosts = ["connector.example.com", "https://bad.example.com/"] }));
        Assert.StartsWith("Teams:TrustedServiceHosts:1 ", failure);
    }

    [Fact]
    public void Validate_AppIdWithoutTenantIdOrAllowedTenants_NamesAllowedTenants()
    {
        var failure = Assert.Single(FailuresOf(new TeamsOptions { AppId = "app" }));
        Assert.StartsWith("Teams:AllowedTenants ", failure);
    }

    [Fact]
    public void Validate_AppIdWithTenantId_Passes()
    {
        Assert.Empty(FailuresOf(new TeamsOptions { AppId = "app", TenantId = "tenant-1" }));
    }

    [Fact]
    public void Validate_AppIdWithAllowedTenants_Passes()
    {
        Assert.Empty(FailuresOf(new TeamsOptions { AppId = "app", AllowedTenants = ["tenant-1", "tenant-2"] }));
    }

    [Fact]
    public void Validate_BlankAllowedTenant_NamesTheEntry()
    {
        var failure = Assert.Single(FailuresOf(new TeamsOptions { AllowedTenants = ["tenant-1", " "] }));
        Assert.StartsWith("Teams:AllowedTenants:1 ", failure);
    }

    [Fact]
    public void Validate_AnonymousLoopbackSwitchedOnWithAnAppId_NamesTheKey()
    {
        var failure = Assert.Single(FailuresOf(new TeamsOptions { AppId = "app", TenantId = "tenant-1", AllowAnonymousOnLoopback = true }));
        Assert.StartsWith("Teams:AllowAnonymousOnLoopback ", failure);
    }

    [Fact]
    public void Validate_FallbackServiceUrlOnAnUntrustedHost_NamesTheKey()
    {
        var failure = Assert.Single(FailuresOf(new TeamsOptions { FallbackServiceUrl = "https://connector.example.com/teams/" }));
        Assert.StartsWith("Teams:FallbackServiceUrl ", failure);
        Assert.Empty(FailuresOf(new TeamsOptions { FallbackServiceUrl = "https://connector.example.com/teams/", TrustedServiceHosts = ["connector.example.com"] }));
    }

    [Fact]
    public void TenantsInForce_DefaultsToTenantId_AndTheListWins()
    {
        Assert.Empty(new TeamsOptions().TenantsInForce);
        Assert.Equal(["t-1"], new TeamsOptions { TenantId = "t-1" }.TenantsInForce);
        Assert.Equal(["t-2", "t-3"], new TeamsOptions { TenantId = "t-1", AllowedTenants = ["t-2", "t-3"] }.TenantsInForce);
    }

    [Fact]
    public void Start_AppIdWithoutTenants_StopsWithOneLineNamingAllowedTenants()
    {
        using var app = new TheModelApp();
        app.Settings["Teams:AppId"] = "6f1d5f1e-0000-4000-8000-0000000000aa";

        var error = Assert.ThrowsAny<Exception>(() => app.Server);

        var line = Assert.Single(Unwrap(error).SelectMany(TheModel.Bot.StartupErrors.Lines).Distinct());
        Assert.StartsWith("Teams:AllowedTenants ", line);
        Assert.DoesNotContain('\n', line);
    }

    private static IEnumerable<Exception> Unwrap(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    [Theory]
    [InlineData("Teams:OpenIdMetadataUrl", "http://login.example.com/v1/.well-known/openidconfiguration")]
    [InlineData("Teams:AppPassword", "secret-without-an-app-id")]
    [InlineData("Teams:MaxActivityBytes", "0")]
    public async Task AddTeams_BadTeamsConfiguration_RefusesToStartNamingTheKey(string key, string value)
    {
        await using var app = new TheModelApp();
        app.Settings[key] = value;

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(key, error.ToString());
    }
}
