using System.ComponentModel;
using System.Globalization;

namespace TheModel.Api.Common;

/// <summary>
/// A list setting that binds from either form operators write: indexed children (<c>Key:0</c>, <c>Key:1</c>, as in
/// appsettings.json arrays) or one value separated by commas, semicolons or spaces (<c>Key=0.25,0.75</c>, handy in an
/// environment variable). An empty value binds as an empty list; an absent key leaves the property null. A key that
/// has both a value and children binds from the value: WebApplicationFactory hands its settings to the app as a command
/// line in which every parent key is present and empty, so tests write lists in the one-value form.
/// </summary>
[TypeConverter(typeof(SettingListConverter))]
public sealed class SettingList : List<string>
{
    public SettingList()
    {
    }

    public SettingList(IEnumerable<string> items) : base(items)
    {
    }

    public static SettingList Parse(string text) =>
        new(text.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary>The configuration binder converts a single value through this; indexed children bind as a list.</summary>
internal sealed class SettingListConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text ? SettingList.Parse(text) : base.ConvertFrom(context, culture, value);
}
