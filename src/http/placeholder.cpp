// Empty until the HTTP sources land.
