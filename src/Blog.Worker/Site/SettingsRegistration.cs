using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Blog.Site;

internal static class SettingsRegistration
{
    /// <summary>
    /// Finishes an area's bound options: <paramref name="resolve"/> completes them (relative paths made absolute,
    /// defaults filled in), and <typeparamref name="TValidator"/> checks them at start. The caller binds, with the
    /// concrete type, because the configuration binder's source generator (needed for Native AOT) cannot see through a
    /// generic method.
    /// </summary>
    public static IServiceCollection Validated<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(
        this OptionsBuilder<TOptions> options, Action<TOptions>? resolve = null)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        if (resolve is not null) options.PostConfigure(resolve);
        options.ValidateOnStart();
        options.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return options.Services;
    }
}
