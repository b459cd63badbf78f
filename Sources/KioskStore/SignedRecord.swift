/// The short code a person is given for their record.
public enum SignedRecord {
    /// A short code a person can read out or write down ("7F3A-9C21"),
    /// taken from the record's hash.
    public static func reference(sha256: String) -> String {
        let code = sha256.prefix(8).uppercased()
        return "\(code.prefix(4))-\(code.suffix(4))"
    }
}
