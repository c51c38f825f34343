using Blog.Site;
using Blog.Storage;
using Microsoft.Data.Sqlite;
using Quartz;

namespace Blog.Digests;

internal static class DigestScheduleServiceCollectionExtensions
{
    /// <summary>
    /// The running service's digest schedule: Quartz in the host, with its persistent job store in the same database
    /// as the subscribers, one cron trigger per cadence. On PostgreSQL the nodes form a Quartz cluster: each fire is
    /// taken by exactly one of them, and a node that dies has its fires taken over. A fire missed while the service was down is made up once at start
    /// (misfire: fire now, then carry on), never once per missed fire; and a trigger replaced at start (its cron
    /// edited, or just a restart) keeps its history, so a restart does not fire a run that already ran.
    /// </summary>
    public static IServiceCollection AddDigestSchedule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<DigestRounds>();
        services.AddHostedService<Mail.DeliveryPolling<DigestRounds>>();

        // Read here, not from the validated options: Quartz wants its jobs as it is registered. A cron that does not
        // parse is left out, and the settings validation stops the start with its key before Quartz ever runs.
        var digests = configuration.GetSection(DigestsOptions.Section).Get<DigestsOptions>() ?? new DigestsOptions();
        var cadences = digests.Cadences.Count > 0
            ? digests.Cadences.ToDictionary(c => c.Key, c => c.Value.Cron, StringComparer.Ordinal)
            : DigestsOptions.DefaultCadences.ToDictionary(StringComparer.Ordinal);
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(digests.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
        var storage = new StorageOptions();
        configuration.GetSection(StorageOptions.Section).Bind(storage);
        storage.DataPath = PathResolution.Absolute(storage.DataPath);

        services.Configure<QuartzOptions>(o =>
        {
            o.Scheduling.OverwriteExistingData = true;
            o.Scheduling.ScheduleTriggerRelativeToReplacedTrigger = true;
        });
        services.AddQuartz(q =>
        {
            q.UsePersistentStore(store =>
            {
                if (storage.IsPostgres)
                {
                    store.UsePostgres(Npgsql.NpgsqlFactory.Instance, storage.ConnectionString);
                    store.UseClustering(c => c.CheckinInterval = TimeSpan.FromSeconds(5));
                }
                else
                {
                    store.UseSqlite(SqliteFactory.Instance, new SqliteConnectionStringBuilder { DataSource = storage.DatabasePath, DefaultTimeout = 30 }.ToString());
                }
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
            });
            foreach (var (cadence, cron) in cadences)
            {
                if (!IsCron(cron)) continue;
                var job = DigestJob.Key(cadence);
                q.AddJob<DigestJob>(j => j.WithIdentity(job).StoreDurably().UsingJobData(DigestJob.CadenceKey, cadence));
                q.AddTrigger(t => t.ForJob(job).WithIdentity($"digest-{cadence}", "digests")
                    .WithCronSchedule(cron, c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
            }
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    private static bool IsCron(string cron)
    {
        try
        {
            _ = new CronExpression(cron);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
