import OneStopDatabase

/// onestop's database errors; GRDB's own `DatabaseError` is always written `GRDB.DatabaseError` here.
public typealias DatabaseError = OneStopDatabase.DatabaseError
