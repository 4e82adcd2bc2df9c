using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TheModel.Bot.Backup;

public static class BackupExtensions
{
    /// <summary>The <c>Backup</c> section (checked at start) and the daily job the schedules run.</summary>
    public static IHostApplicationBuilder AddBackup(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BackupOptions>().BindConfiguration(BackupOptions.Section).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BackupOptions>, BackupOptionsValidator>());
        // One instance: it says once that PostgreSQL has no scheduled backup.
        builder.Services.AddSingleton<BackupJob>();
        return builder;
    }
}
