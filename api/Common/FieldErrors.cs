using System.Net.Mail;

namespace TheModel.Api.Common;

/// <summary>Collects field-level validation messages for an RFC 9457 <c>errors</c> member (field → messages).</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool Any => errors.Count > 0;

    public FieldErrors Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }
        list.Add(message);
        return this;
    }

    public void Required(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"{field} is required.");
        }
        else
        {
            MaxLength(field, value, maxLength);
        }
    }

    public void MaxLength(string field, string? value, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            Add(field, $"{field} must be at most {maxLength} characters.");
        }
    }

    public void Email(string field, string? value, bool required = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Add(field, $"{field} is required.");
            }
            return;
        }
        MaxLength(field, value, InputLimits.Email);
        if (!IsEmail(value))
        {
            Add(field, $"'{value}' is not a valid email address.");
        }
    }

    public void Range(string field, int? value, int min, int max)
    {
        if (value is { } v && (v < min || v > max))
        {
            Add(field, $"{field} must be between {min} and {max}.");
        }
    }

    /// <summary>Parses an enum by name (case-insensitive, names only: numbers are refused).</summary>
    public T? Enum<T>(string field, string? value, bool required = false) where T : struct, System.Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Add(field, $"{field} is required; one of {string.Join(", ", System.Enum.GetNames<T>())}.");
            }
            return null;
        }
        if (!char.IsDigit(value.Trim()[0]) && System.Enum.TryParse<T>(value.Trim(), ignoreCase: true, out var parsed))
        {
            return parsed;
        }
        Add(field, $"'{value}' is not one of {string.Join(", ", System.Enum.GetNames<T>())}.");
        return null;
    }

    public IDictionary<string, string[]> ToDictionary() => errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public static bool IsEmail(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.Length != value.Length || trimmed.Contains(' ') || trimmed.Count(c => c == '@') != 1)
        {
            return false;
        }
        var at = trimmed.IndexOf('@');
        var domain = trimmed[(at + 1)..];
        return at > 0 && domain.Contains('.') && !domain.StartsWith('.') && !domain.EndsWith('.')
            && MailAddress.TryCreate(trimmed, out var parsed) && parsed.Address == trimmed;
    }
}
