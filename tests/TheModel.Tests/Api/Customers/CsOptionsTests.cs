using TheModel.Api.Customers;

namespace TheModel.Tests.Api.Customers;

public class CsOptionsTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var result = new CsOptionsValidator().Validate(null, new CsOptions());

        Assert.True(result.Succeeded);
        Assert.Equal(12, new CsOptions().DefaultTermMonths);
        Assert.Equal(60, new CsOptions().RenewalNoticeDays);
    }

    [Fact]
    public void Validate_OutOfRange_FailsNamingEachKey()
    {
        var result = new CsOptionsValidator().Validate(null, new CsOptions { DefaultTermMonths = 0, RenewalNoticeDays = 400 });

        Assert.Equal(["Cs:DefaultTermMonths must be between 1 and 120 (was 0)", "Cs:RenewalNoticeDays must be between 1 and 365 (was 400)"], result.Failures!);
    }
}
