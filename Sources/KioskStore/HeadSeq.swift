extension RecordLayout {
    /// The seq the book's head names (its last record, but for one written
    /// after an interrupted head update), unchecked; nil if it cannot be read.
    public var headSeq: Int? {
        guard case .bytes(let bytes) = BoundedFile.read(head, limit: BoundedFile.headLimit) else { return nil }
        return HeadFile(bytes: bytes)?.seq
    }
}
