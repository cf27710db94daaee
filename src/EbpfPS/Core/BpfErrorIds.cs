namespace EbpfPS.Core
{
    /// <summary>Error ids more specific than their kind's (BpfException.ErrorId) for maps and introspection,
    /// stable for scripts that catch them.</summary>
    internal static class BpfErrorIds
    {
        internal const string ProgramNotFound = "BpfProgramNotFound", MapNotFound = "BpfMapNotFound", LinkNotFound = "BpfLinkNotFound",
            PinNotFound = "BpfPinNotFound", MapKeyNotFound = "BpfMapKeyNotFound", MapKeyInvalid = "BpfMapKeyInvalid",
            MapValueInvalid = "BpfMapValueInvalid", MapAmbiguous = "BpfMapAmbiguous";
    }
}
