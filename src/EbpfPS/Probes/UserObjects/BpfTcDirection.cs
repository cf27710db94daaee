namespace EbpfPS
{
    /// <summary>Which traffic of an interface a tc program filters: what comes in (ingress) or what goes out (egress).</summary>
    public enum BpfTcDirection
    {
        Ingress,
        Egress,
    }
}
