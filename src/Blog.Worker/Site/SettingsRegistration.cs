using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Blog.Site;

internal static class SettingsRegistration
{
    /// <summary>
    /// Binds one area's options from its section, lets <paramref name="resolve"/> finish them (relative paths made
    /// absolute, defaults filled in), and validates them at start with <typeparamref name="TValidator"/>.
    /// </summary>
    public static IServiceCollection AddSettings<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration, string section,
        Action<TOptions>? resolve = null)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        var options = services.AddOptions<TOptions>().Bind(configuration.GetSection(section));
        if (resolve is not null) options.PostConfigure(resolve);
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services;
    }
}
