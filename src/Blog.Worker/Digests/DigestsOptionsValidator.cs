using System.Text.RegularExpressions;

namespace Blog.Digests;

internal sealed partial class DigestsOptionsValidator : IValidateOptions<DigestsOptions>
{
    public ValidateOptionsResult Validate(string? name, DigestsOptions options)
    {
        var failures = new List<string>();
        foreach (var (cadence, settings) in options.Cadences)
        {
            if (!CadenceName().IsMatch(cadence))
                failures.Add($"Digests:Cadences: the name \"{cadence}\" must be lower-case letters, digits and '-'.");
            if (string.IsNullOrWhiteSpace(settings.Cron))
            {
                failures.Add($"Digests:Cadences:{cadence}:Cron must be a cron expression, such as \"0 0 8 * * ?\".");
                continue;
            }
            try
            {
                _ = new Quartz.CronExpression(settings.Cron);
            }
            catch (FormatException e)
            {
                failures.Add($"Digests:Cadences:{cadence}:Cron \"{settings.Cron}\" is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week, such as \"0 0 8 ? * MON\"): {e.Message}");
            }
        }
        if (options.CoolOff < TimeSpan.Zero || options.CoolOff > TimeSpan.FromDays(7))
            failures.Add($"Digests:CoolOff must be between 00:00:00 and 7.00:00:00, but is {options.CoolOff}.");
        Mail.Claims.CheckLease(failures, "Digests:Lease", options.Lease);
        if (options.MaxPosts is < 1 or > 500)
            failures.Add($"Digests:MaxPosts must be between 1 and 500, but is {options.MaxPosts}.");
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _))
            failures.Add($"Digests:TimeZone \"{options.TimeZone}\" is not a known IANA time zone (for example Europe/Berlin or UTC).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}$")]
    private static partial Regex CadenceName();
}
