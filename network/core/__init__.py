"""What every domain uses; imports no domain."""
