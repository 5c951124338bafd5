"""Account management (账户管理): staff create and manage the accounts of deputies and units
inside lvzhi; users activate their account and keep their password and contact details."""
