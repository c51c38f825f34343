namespace Blog.Templates;

/// <summary>Parses every template at start, so a broken one stops the program before anyone gets a page or a mail.</summary>
internal sealed class TemplatesOptionsValidator(IEnumerable<RequiredTemplates> required) : IValidateOptions<TemplatesOptions>
{
    public ValidateOptionsResult Validate(string? name, TemplatesOptions options)
    {
        try
        {
            TemplateSet.Load(options.Path).Require(required.SelectMany(r => r.Names));
            return ValidateOptionsResult.Success;
        }
        catch (TemplateException e)
        {
            return ValidateOptionsResult.Fail($"Templates: {e.Message}");
        }
    }
}
