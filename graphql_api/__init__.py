"""graphql_api"""
